/**
 * JSON for people and terminals. `JSON.stringify(v, null, 2)` puts each number of a `[start, end]` span
 * on its own line (1,635 lines for a 3.6 KB article); here every array of two numbers stays on one
 * line. Both forms escape the characters that JSON allows raw but a terminal acts on: C1 controls
 * (U+009B starts an escape sequence on many terminals) and bidi overrides (which reorder what is shown).
 * The escaped output parses to exactly the same value.
 */

// U+2028/9 too: raw, they end a line in some viewers and in JavaScript before ES2019.
const TERMINAL_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeUnsafe(json: string): string {
  return json.replace(TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Raw line breaks never occur inside a JSON string (they are escaped), so these match arrays only.
const NUM = '-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';
const PAIR = new RegExp(`\\[\\n\\s*(${NUM}),\\n\\s*(${NUM})\\n\\s*\\]`, 'g');
const ONE_LINE_PAIR = `\\[${NUM}, ${NUM}\\]`;
const PAIR_LIST = new RegExp(`\\[\\n\\s*(${ONE_LINE_PAIR}(?:,\\n\\s*${ONE_LINE_PAIR})*)\\n\\s*\\]`, 'g');

/** Indented by two spaces, with spans on one line (`[12, 40]`, and `[[12, 40], [52, 60]]` for a list of them); no trailing newline. */
export function prettyJson(value: unknown): string {
  const pairs = JSON.stringify(value, null, 2).replace(PAIR, '[$1, $2]');
  return escapeUnsafe(pairs.replace(PAIR_LIST, (_m, inner: string) => `[${inner.split(/,\n\s*/).join(', ')}]`));
}

/** One line; no trailing newline. */
export function compactJson(value: unknown): string {
  return escapeUnsafe(JSON.stringify(value));
}
