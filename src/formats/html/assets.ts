/**
 * The browser assets (the page's app.js/app.css/index.html, the report's report.js/report.css), read
 * once per process. Built by `npm run build` into dist/web/ (./bundle.ts, scripts/build-web.mjs); when
 * this module runs from source under tsx, they are bundled from src/web in memory instead, so tests and
 * development always see the current browser code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWeb, WEB_ASSET_NAMES, type WebAssets } from './bundle.js';

export type { WebAssets } from './bundle.js';

let cached: WebAssets | null = null;

/** True when this file is the TypeScript source (run through tsx), false in the compiled dist/. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

function readBuilt(): WebAssets {
  // dist/formats/html/assets.js → dist/web/
  const dir = fileURLToPath(new URL('../../web/', import.meta.url));
  const out = {} as WebAssets;
  for (const name of WEB_ASSET_NAMES) {
    try {
      out[name] = readFileSync(dir + name, 'utf8');
    } catch {
      throw new Error(`whosaid's web assets are missing (${dir}${name}); run npm run build`);
    }
  }
  return out;
}

export function webAssets(): WebAssets {
  cached ??= FROM_SOURCE ? bundleWeb() : readBuilt();
  return cached;
}
