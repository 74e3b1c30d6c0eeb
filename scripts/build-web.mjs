#!/usr/bin/env node
// Part of `npm run build` and `npm ci` (prepare), after tsc: bundles the browser code in src/web into
// dist/web/ (app.js, app.css, index.html for the server; report.js, report.css for the HTML report).
import { mkdirSync, writeFileSync } from 'node:fs';
import { bundleWeb } from '../dist/formats/html/bundle.js';

const out = new URL('../dist/web/', import.meta.url);
mkdirSync(out, { recursive: true });
const assets = bundleWeb();
for (const [name, text] of Object.entries(assets)) writeFileSync(new URL(name, out), text);
console.error(`build-web: ${Object.entries(assets).map(([n, t]) => `${n} ${(t.length / 1024).toFixed(1)} KiB`).join(', ')}`);
