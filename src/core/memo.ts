/**
 * Remembers a pure string function's answers. Names recur within an article and across a corpus,
 * and the regex chains that fold them were a third of speaker resolution's time. Bounded: the table
 * is dropped whole when full, which keeps memory flat on a long run.
 */
export function memo(fn: (s: string) => string, limit = 20000): (s: string) => string {
  let seen = new Map<string, string>();
  return (s) => {
    let v = seen.get(s);
    if (v === undefined) {
      if (seen.size >= limit) seen = new Map();
      v = fn(s);
      seen.set(s, v);
    }
    return v;
  };
}
