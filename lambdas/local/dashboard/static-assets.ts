import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** One file the dashboard serves. */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: string;
}

const STATIC_DIR = join(import.meta.dirname, 'static');
const require = createRequire(import.meta.url);

/**
 * URL path → file. The dashboard serves exactly these files and nothing else, so no request path ever reaches
 * the filesystem (no traversal to guard against): the page, its module scripts and styles in `static/`, and
 * uPlot's ES module and stylesheet from `node_modules` (installed by `npm ci`, no build step).
 */
const ASSETS: Readonly<Record<string, { readonly file: () => string; readonly type: string }>> = {
  '/dashboard': { file: () => join(STATIC_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/dashboard/dashboard.css': {
    file: () => join(STATIC_DIR, 'dashboard.css'),
    type: 'text/css; charset=utf-8',
  },
  '/dashboard/app.js': { file: () => join(STATIC_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard/dom.js': { file: () => join(STATIC_DIR, 'dom.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard/format.js': {
    file: () => join(STATIC_DIR, 'format.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/dashboard/charts.js': {
    file: () => join(STATIC_DIR, 'charts.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/dashboard/dag.js': { file: () => join(STATIC_DIR, 'dag.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard/panels.js': {
    file: () => join(STATIC_DIR, 'panels.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/dashboard/vendor/uplot.js': {
    file: () => require.resolve('uplot/dist/uPlot.esm.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/dashboard/vendor/uplot.css': {
    file: () => require.resolve('uplot/dist/uPlot.min.css'),
    type: 'text/css; charset=utf-8',
  },
};

const cache = new Map<string, StaticAsset>();

/** The asset served at `path` (`/dashboard/` is the page too), or `undefined`; files are read once. */
export function staticAsset(path: string): StaticAsset | undefined {
  const key = path === '/dashboard/' ? '/dashboard' : path;
  const spec = ASSETS[key];
  if (!spec) return undefined;
  let asset = cache.get(key);
  if (!asset) {
    asset = { contentType: spec.type, body: readFileSync(spec.file(), 'utf8') };
    cache.set(key, asset);
  }
  return asset;
}
