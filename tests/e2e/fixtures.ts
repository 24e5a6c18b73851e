import { test as base } from '@playwright/test';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Each test file gets its own real server on a free port and a fresh data directory, so a
 * test may stop it (to prove the app works offline) without affecting other files.
 */
export const test = base.extend<object, { server: TestServer }>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startTestServer();
      await use(server);
      await server.dispose();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
});

export { expect } from '@playwright/test';
