// `npm test`: every test layer in order, then one summary. Installs and builds as needed.
// Usage: npm test [-- --skip e2e,lint]   (layers: check, lint, format, boundary, unit,
// integration, security, e2e)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, ensureInstalled, repoRoot, run } from './prepare.mjs';

const skipArg = process.argv.indexOf('--skip');
const skipped = new Set(skipArg >= 0 ? (process.argv[skipArg + 1] ?? '').split(',') : []);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const resultsDir = join(repoRoot, 'test-results');
const started = Date.now();

ensureInstalled();
mkdirSync(resultsDir, { recursive: true });

const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  } catch {
    return undefined;
  }
};

/** Counts from each runner's JSON report, so the closing line adds up every layer. */
const vitestCounts = (file) => {
  const report = readJson(file);
  return report
    ? {
        passed: report.numPassedTests,
        failed: report.numFailedTests,
        skipped: report.numPendingTests + report.numTodoTests,
      }
    : undefined;
};
const playwrightCounts = () => {
  const stats = readJson('playwright.json')?.stats;
  return stats
    ? { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped }
    : undefined;
};

const layers = [
  {
    name: 'check',
    label: 'svelte-check (types, zero warnings)',
    alongside: true,
    cmd: [
      'npx',
      'svelte-check',
      '--tsconfig',
      './tsconfig.json',
      '--fail-on-warnings',
      '--output',
      'human',
    ],
  },
  {
    name: 'lint',
    label: 'ESLint (zero warnings)',
    alongside: true,
    cmd: ['npx', 'eslint', '--max-warnings', '0', '.'],
  },
  {
    name: 'format',
    label: 'Prettier',
    alongside: true,
    cmd: ['npx', 'prettier', '--check', '--log-level', 'warn', '.'],
  },
  { name: 'build', label: 'build the app', build: true },
  {
    name: 'unit',
    label: 'Vitest unit',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--project',
      'unit',
      '--reporter',
      'default',
      '--reporter',
      'json',
      '--outputFile',
      'test-results/vitest-unit.json',
    ],
    counts: () => vitestCounts('vitest-unit.json'),
  },
  {
    name: 'integration',
    label: 'Vitest integration (real server)',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--project',
      'integration',
      '--reporter',
      'default',
      '--reporter',
      'json',
      '--outputFile',
      'test-results/vitest-integration.json',
    ],
    counts: () => vitestCounts('vitest-integration.json'),
  },
  {
    name: 'security',
    label: 'Vitest security: OWASP Top 10, API fuzzing, abuse limits (real server)',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--project',
      'security',
      '--reporter',
      'default',
      '--reporter',
      'json',
      '--outputFile',
      'test-results/vitest-security.json',
    ],
    counts: () => vitestCounts('vitest-security.json'),
  },
  {
    name: 'e2e',
    label: `Playwright end-to-end (${chromiumPath})`,
    cmd: ['npx', 'playwright', 'test'],
    counts: playwrightCounts,
    needsChromium: true,
  },
];

/** Runs a command with its output kept, for layers that run side by side. */
const runQuietly = (command, args) =>
  new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) =>
      resolvePromise({ code: 1, output: `${output}${error.message}\n` }),
    );
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });

/**
 * The static checks (svelte-check, ESLint, Prettier) are single-threaded and independent:
 * they run side by side, each one's output printed whole when it ends, then the rest in order.
 */
const runAlongside = async (layer) => {
  const layerStart = Date.now();
  let { code, output } = await runQuietly(layer.cmd[0], layer.cmd.slice(1));
  if (code === 0 && layer.then) {
    const next = await runQuietly(layer.then[0], layer.then.slice(1));
    code = next.code;
    output += next.output;
  }
  const ms = Date.now() - layerStart;
  console.log(`\n━━ ${layer.label} (${(ms / 1000).toFixed(1)} s, alongside other checks) ━━`);
  if (output.trim() !== '') process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  return { layer, status: code === 0 ? 'passed' : 'failed', ms };
};

// The generated types and tsconfig every static check reads, written once before they start.
if (run('npx', ['svelte-kit', 'sync']) !== 0) process.exit(1);
const outcomes = [];
const alongside = layers.filter((layer) => layer.alongside && !skipped.has(layer.name));
const alongsideOutcomes = await Promise.all(alongside.map(runAlongside));
for (const layer of layers) {
  if (skipped.has(layer.name)) {
    outcomes.push({ layer, status: 'skipped', ms: 0 });
    continue;
  }
  if (layer.alongside) {
    outcomes.push(alongsideOutcomes.find((outcome) => outcome.layer === layer));
    continue;
  }
  console.log(`\n━━ ${layer.label} ━━`);
  const layerStart = Date.now();
  let code;
  if (layer.needsChromium && !existsSync(chromiumPath)) {
    console.error(
      `Chromium was not found at ${chromiumPath}.\n` +
        "Install Debian's Chromium with: sudo apt-get update && sudo apt-get install -y chromium\n" +
        'or point CHROMIUM_PATH at an existing Chromium binary. Playwright never downloads browsers here.',
    );
    code = 1;
  } else if (layer.build) {
    code = ensureBuilt();
  } else {
    if (layer.counts)
      rmSync(
        join(resultsDir, layer.name === 'e2e' ? 'playwright.json' : `vitest-${layer.name}.json`),
        { force: true },
      );
    code = run(layer.cmd[0], layer.cmd.slice(1));
    if (code === 0 && layer.then) code = run(layer.then[0], layer.then.slice(1));
  }
  outcomes.push({
    layer,
    status: code === 0 ? 'passed' : 'failed',
    ms: Date.now() - layerStart,
    counts: layer.counts?.(),
  });
}

console.log('\n━━ Summary ━━');
let passed = 0;
let failed = 0;
let skippedTests = 0;
for (const { layer, status, ms, counts } of outcomes) {
  const detail = counts
    ? ` (${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''})`
    : '';
  console.log(
    `${status === 'passed' ? '✔' : status === 'skipped' ? '–' : '✘'} ${layer.name.padEnd(12)} ${status.padEnd(8)} ${(ms / 1000).toFixed(1).padStart(6)} s${detail}`,
  );
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    skippedTests += counts.skipped;
  }
  // A layer that failed without producing test counts (a type error, a lint warning, a
  // crashed runner) still counts as one failure in the closing line.
  if (status === 'failed' && (!counts || counts.failed === 0)) failed += 1;
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed${skippedTests ? `, ${skippedTests} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
