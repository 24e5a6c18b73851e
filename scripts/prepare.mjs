// Shared by `npm start` and `npm test`: install what is missing and build what is stale.
// Plain Node with no dependencies, because it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Runs a command in the repo with inherited output; returns its exit code. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function ensureInstalled() {
  const marker = join(repoRoot, 'node_modules', '.package-lock.json');
  if (
    existsSync(marker) &&
    statSync(marker).mtimeMs >= statSync(join(repoRoot, 'package-lock.json')).mtimeMs
  ) {
    return;
  }
  console.log('› Installing dependencies (npm ci)…');
  // better-sqlite3 compiles from source here (no prebuilt binary can be downloaded): let
  // node-gyp use every core (JOBS=max), about 10 s less on two.
  const code = run('npm', ['ci', '--no-audit', '--no-fund'], {
    env: { ...process.env, JOBS: process.env.JOBS ?? 'max' },
  });
  if (code !== 0) {
    console.error('npm ci failed; see the output above.');
    process.exit(code);
  }
}

const BUILD_INPUTS = [
  'src',
  'static',
  'workers',
  'domain',
  'svelte.config.js',
  'vite.config.ts',
  'package-lock.json',
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function buildIsStale() {
  const builtIndex = join(repoRoot, 'build', 'index.html');
  if (!existsSync(builtIndex)) return true;
  const builtAt = statSync(builtIndex).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(join(repoRoot, input)) > builtAt);
}

export function ensureBuilt({ force = false } = {}) {
  if (!force && !buildIsStale()) return 0;
  console.log('› Building the app (vite build)…');
  return run('npx', ['vite', 'build', '--logLevel', 'warn']);
}
