#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'index.js');
if (!existsSync(entry)) {
  console.error('whosaid: not built yet; run "npm run build" in the repository first');
  process.exit(2);
}
const { main } = await import(entry);
await main(process.argv);
