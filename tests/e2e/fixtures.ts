import { test as base } from '@playwright/test';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * The shared server runs with a demo population, so dashboards see demo peers as a newcomer
 * would. 5 000 rather than the default 30 000: on the shared 2-core machine under load, 30 000
 * took 45 s to start (demo load 10 s, statistics rebuild 31 s), 5 000 took 13 s (3 s + 5 s,
 * the rest is process start-up). 5 000 still puts companies in every SNI division.
 */
const SHARED_SERVER_ENV = { NYCKEL_DEMO: 'on', NYCKEL_DEMO_ENTITIES: '5000' };

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
      const server = await startTestServer({ env: SHARED_SERVER_ENV });
      await use(server);
      await server.dispose();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
});

export { expect } from '@playwright/test';
