/** Output paths the user names (--out): a folder to create, never a file mistaken for one. */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from './errors.js';

/** Creates the --out folder; a path that names a file (or lies under one) is the user's mistake, said plainly. */
export function makeOutDir(dir: string, flag = '--out'): void {
  const file = fileOnPath(dir);
  if (file !== null) throw new UserError(`${flag} ${dir}: ${file} is a file; give a folder`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`${flag} ${dir}: cannot create the output folder (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

/** The first existing non-folder on the way to `dir` (itself included), or null. */
function fileOnPath(dir: string): string | null {
  for (let p = resolve(dir); ; p = dirname(p)) {
    try {
      return statSync(p).isDirectory() ? null : p === resolve(dir) ? dir : p;
    } catch {
      if (dirname(p) === p) return null;
    }
  }
}
