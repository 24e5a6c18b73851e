// The initial JavaScript of the first screen (`/`), read from the built app in build/:
// what build/index.html preloads (Kit's entry and the root layout) plus the `/` page's own
// node, each followed through its static imports, gzipped (level 9) one file at a time the
// way a server would send them. Builds nothing itself: run `npx vite build` first.
// Usage: npx tsx scripts/measure-bundle.ts [BUILD_DIR] [--json]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export type BundleFile = {
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
};

export type InitialJavaScript = {
  readonly files: readonly BundleFile[];
  readonly bytes: number;
  readonly gzipBytes: number;
};

/** The budget of issue #8: initial JavaScript of the first screen, gzip. */
export const INITIAL_JS_BUDGET_GZIP_BYTES = 200 * 1024;

const MODULE_PRELOAD = /<link\s+href="([^"]+\.js)"\s+rel="modulepreload"/g;
/** `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`; never `import("…")`. */
const STATIC_IMPORT =
  /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;

const fromRoot = (buildDir: string, href: string): string =>
  join(buildDir, href.replace(/^\//, ''));

/** Relative static imports of one built module, as paths under buildDir. */
export const staticImportsOf = (source: string, modulePath: string): string[] =>
  [...source.matchAll(STATIC_IMPORT)].map((match) =>
    posix.normalize(posix.join(posix.dirname(modulePath), match[1] ?? '')),
  );

/** The node index Kit's client dictionary gives the `/` route (its page component). */
export const rootPageNode = (appSource: string): number | undefined => {
  const match = /\{"\/":\[(-?\d+)[\],]/.exec(appSource);
  return match ? Number(match[1]) : undefined;
};

const startingModules = (buildDir: string): string[] => {
  const html = readFileSync(join(buildDir, 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(MODULE_PRELOAD)].map((match) => match[1] ?? '');
  const app = preloaded.find((href) => /\/entry\/app\.[^/]+\.js$/.test(href));
  if (!app) return preloaded;
  const node = rootPageNode(readFileSync(fromRoot(buildDir, app), 'utf8'));
  if (node === undefined) return preloaded;
  const nodesDir = fromRoot(buildDir, '/_app/immutable/nodes');
  const page = readdirSync(nodesDir).find(
    (name) => name.startsWith(`${node}.`) && name.endsWith('.js'),
  );
  return page ? [...preloaded, `/_app/immutable/nodes/${page}`] : preloaded;
};

/** Every module the first screen loads before it can paint, with raw and gzip sizes. */
export const measureInitialJavaScript = (buildDir: string): InitialJavaScript => {
  const seen = new Set<string>();
  const queue = startingModules(buildDir).map((href) => href.replace(/^\//, ''));
  while (queue.length > 0) {
    const next = queue.shift() ?? '';
    if (seen.has(next)) continue;
    seen.add(next);
    const source = readFileSync(join(buildDir, next), 'utf8');
    queue.push(...staticImportsOf(source, next).filter((path) => !seen.has(path)));
  }
  const files = [...seen].map((path): BundleFile => {
    const bytes = readFileSync(join(buildDir, path));
    return { path, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
  return {
    files: files.toSorted((a, b) => b.gzipBytes - a.gzipBytes),
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
  };
};

export const hasBuild = (buildDir: string): boolean => existsSync(join(buildDir, 'index.html'));

const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;

const main = (): void => {
  const args = process.argv.slice(2);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const buildDir = resolve(args.find((arg) => !arg.startsWith('--')) ?? join(root, 'build'));
  if (!hasBuild(buildDir)) {
    console.error(
      `no built app in ${relative(process.cwd(), buildDir) || '.'}: run npx vite build`,
    );
    process.exit(2);
  }
  const measured = measureInitialJavaScript(buildDir);
  if (args.includes('--json')) {
    console.log(JSON.stringify(measured, null, 2));
    return;
  }
  for (const file of measured.files)
    console.log(
      `${kB(file.gzipBytes).padStart(10)} gzip ${kB(file.bytes).padStart(10)}  ${file.path}`,
    );
  console.log(
    `${measured.files.length} files, ${kB(measured.bytes)} raw, ${kB(measured.gzipBytes)} gzip` +
      ` (budget ${kB(INITIAL_JS_BUDGET_GZIP_BYTES)})`,
  );
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
