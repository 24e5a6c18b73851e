import { test as base } from '@playwright/test';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * `server`: one real server per worker (free port, fresh data directory), shared by tests
 * that leave it running. `disposableServer`: a server of the test's own, for tests that stop
 * it (to prove the app works offline) or restart it.
 */
export const test = base.extend<{ disposableServer: TestServer }, { server: TestServer }>({
  // eslint-disable-next-line no-empty-pattern
  disposableServer: async ({}, use) => {
    const server = await startTestServer();
    await use(server);
    await server.dispose();
  },
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
