/** What every bench script reads from its command line. */
import { fileURLToPath } from 'node:url';

/** The repository root (the data lives beside it, in ../shared). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const args = process.argv.slice(2);

/** The value after `--name`, or `def` when the option is not given. */
export function arg(name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}
