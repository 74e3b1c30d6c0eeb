/**
 * Bundles the browser code (src/web, typed TypeScript with its own tsconfig) with esbuild into the
 * self-contained assets the report and the server use. Two callers:
 *   - `npm run build` / `npm ci` (scripts/build-web.mjs) writes them to dist/web/;
 *   - code running from source (tsx: tests, `node --import tsx src/…`) bundles in memory on first use
 *     (./assets.ts), so what runs is always the current src/web, never a stale build.
 * esbuild is a devDependency; an installed package only ever reads dist/web.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The assets, by the name the server serves them under (/assets/NAME; index.html at /). */
export interface WebAssets {
  'app.js': string;
  'app.css': string;
  'report.js': string;
  'report.css': string;
  'index.html': string;
}

export const WEB_ASSET_NAMES: (keyof WebAssets)[] = ['app.js', 'app.css', 'report.js', 'report.css', 'index.html'];

// src/formats/html and dist/formats/html both sit three levels below the repository root.
const WEB_SRC = fileURLToPath(new URL('../../../src/web/', import.meta.url));

interface EsbuildLike {
  buildSync(options: Record<string, unknown>): { outputFiles?: { path: string; text: string }[] };
}

function esbuild(): EsbuildLike {
  try {
    return createRequire(import.meta.url)('esbuild') as EsbuildLike;
  } catch (err) {
    throw new Error(`bundling the web page needs esbuild (a devDependency): run npm install (${(err as Error).message})`);
  }
}

/** Bundles every asset from src/web in one esbuild run. Throws with esbuild's message on a build error. */
export function bundleWeb(): WebAssets {
  const entries = { app: 'app/main.ts', 'app-style': 'app/page.css', report: 'report.ts', 'report-style': 'report.css' };
  const result = esbuild().buildSync({
    entryPoints: Object.entries(entries).map(([out, entry]) => ({ in: WEB_SRC + entry, out })),
    outdir: '/whosaid-web',
    bundle: true,
    write: false,
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    platform: 'browser',
  });
  const byName = new Map((result.outputFiles ?? []).map((f) => [f.path.replace(/^.*\//, ''), f.text]));
  const get = (name: string): string => {
    const text = byName.get(name);
    if (text === undefined) throw new Error(`esbuild produced no ${name} from src/web`);
    // The report inlines its script inside <script>…</script>: it must never close that element.
    if (name.endsWith('.js') && /<\/script|<!--/i.test(text)) throw new Error(`${name} contains "</script" or "<!--", which an inline script cannot hold`);
    return text;
  };
  return {
    'app.js': get('app.js'),
    'app.css': get('app-style.css'),
    'report.js': get('report.js'),
    'report.css': get('report-style.css'),
    'index.html': readFileSync(WEB_SRC + 'app/index.html', 'utf8'),
  };
}
