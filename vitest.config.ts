import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'tests/unit/**/*.test.ts',
            'domain/**/*.test.ts',
            'workers/**/*.test.ts',
            'server/**/*.test.ts',
            'cli/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 30_000,
          // Pure functions and in-memory stores: one module graph per worker instead of a fresh
          // process per file halves the layer (100 s → 55 s on two cores). Tests that change
          // global state restore it (fake timers, env) or keep it in their own module scope.
          isolate: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own real server on a free port and a temp data dir.
          fileParallelism: true,
        },
      },
      {
        test: {
          // OWASP Top 10 attacks, API fuzzing and abuse limits against the real server.
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: true,
          // Most of the time goes to waiting on servers (slow-loris timeouts, mail, locks):
          // three files at a time keep the layer near two minutes on two cores.
          maxWorkers: 3,
        },
      },
    ],
  },
});
