import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEcies, identityClient, type IdentityClient } from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import {
  ALL_PROCEDURES,
  callProcedure,
  leaksOf,
  startSecurityServer,
  storeCensus,
  type ProcedureEntry,
} from './helpers';
import { validInput, type KnownValues } from './known-values';
import { replaceAt, stringPaths } from './schema-arbitrary';
import { buildWorld, cookieOf, type World } from './world';

/**
 * OWASP A03:2021 Injection. SQL-injection strings go into every text input of every
 * procedure of both routers (each string of an otherwise valid input, in turn), with a
 * session of an account that owns what the ids name. The
 * server stores them as data or refuses them as invalid, never answers 500 or with an
 * SQLite error, and both databases keep every table, every row and their integrity.
 */
const SQL_INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '1; DELETE FROM entity WHERE 1=1',
  "x' UNION SELECT auth_hash, email FROM users --",
  "Robert'); DROP TABLE org_links;--",
  "\\'; ATTACH DATABASE '/tmp/nyckel-pwned.db' AS pwned; --",
  '\u0000',
] as const;

let server: TestServer;
let world: World;

beforeAll(async () => {
  server = await startSecurityServer();
  world = await buildWorld(server);
});
afterAll(async () => {
  await server?.dispose();
});

const ownIds = (): KnownValues => ({
  orgId: () => world.alice.orgId,
  linkId: () => world.alice.linkId,
  entityId: () => world.alice.entityId,
  capability: () => world.alice.capability,
});

describe('A03 Injection', () => {
  it('SQL injection in every text input of every procedure: stored or refused as data', async () => {
    const before = {
      identity: storeCensus(server, 'identity'),
      finance: storeCensus(server, 'finance'),
    };
    const sessionOf = (entry: ProcedureEntry) =>
      entry.api === 'finance'
        ? undefined
        : cookieOf(entry.path.startsWith('support.') ? world.support.client : world.alice.client);
    let calls = 0;
    for (const entry of ALL_PROCEDURES) {
      const base = validInput(entry.input, ownIds());
      for (const path of stringPaths(base)) {
        for (const injection of SQL_INJECTIONS) {
          const input = replaceAt(base, path, injection);
          // With a session: public procedures ignore it, the others need it to get that far.
          const response = await callProcedure(server.url, entry, input, {
            cookie: sessionOf(entry),
          });
          calls += 1;
          const what = `${entry.api}.${entry.path} ${path.join('.')} ${JSON.stringify(injection)}`;
          expect(response.status, what).toBeLessThan(500);
          expect(leaksOf(response.text), what).toEqual([]);
          expect(response.text, what).not.toMatch(/syntax error|no such (table|column)/i);
        }
      }
    }
    expect(calls).toBeGreaterThan(300);

    const after = {
      identity: storeCensus(server, 'identity'),
      finance: storeCensus(server, 'finance'),
    };
    for (const store of ['identity', 'finance'] as const) {
      expect(after[store].integrity, store).toBe('ok');
      expect(after[store].tables, store).toEqual(before[store].tables);
      // Injections may add rows (an organisation named "'; DROP TABLE …"), never remove any.
      for (const [table, count] of Object.entries(before[store].rows)) {
        expect(after[store].rows[table], `${store}.${table}`).toBeGreaterThanOrEqual(count);
      }
    }
    // The accounts and data attacked still work.
    const again = identityClient(server.url);
    await again.api.login.mutate({
      email: world.bob.account.email,
      authKey: world.bob.account.authKey,
    });
    const years = await callProcedure(
      server.url,
      { api: 'finance', path: 'listYears', type: 'query' },
      { entityId: world.bob.entityId, capability: world.bob.capability },
    );
    expect(years.status).toBe(200);
  });

  describe('free text reaches the store verbatim and comes back as the same text', () => {
    let client: IdentityClient;
    beforeAll(() => {
      client = world.bob.client;
    });

    it.each(SQL_INJECTIONS.filter((text) => !text.includes('\u0000')))(
      'an organisation named %j',
      async (name) => {
        const orgId = randomUUID();
        const address = { street: name, postalCode: '123 45', city: `${name} stad` };
        await client.api.org.create.mutate({
          orgId,
          kind: 'bureau',
          name,
          orgNumber: '212000-0142',
          address,
          wrappedOrgKey: fakeEcies(),
        });
        const org = await client.api.org.get.query({ orgId });
        expect(org).toMatchObject({ name: name.trim(), address });
      },
    );

    it('LIKE wildcards in a support search match themselves only', async () => {
      const search = world.support.client.api.support;
      expect(await search.findUsers.query({ query: "%' OR '1'='1" })).toEqual([]);
      expect(await search.findUsers.query({ query: '%%' })).toEqual([]);
      expect(await search.findUsers.query({ query: '__' })).toEqual([]);
      const orgs = await search.findOrgs.query({ query: "'; DROP TABLE users; --" });
      expect(orgs.map((o) => o.name)).toEqual(["'; DROP TABLE users; --"]);
    });

    it('an address with quotes is an address, not a query', async () => {
      const anonymous = identityClient(server.url).api;
      const quoted = "o'reilly+x@example.se";
      const first = await anonymous.preLogin.query({ email: quoted });
      const second = await anonymous.preLogin.query({ email: "o'reilly+y@example.se" });
      // Unknown addresses get stable fake salts of their own, not another account's.
      expect(first.kdf.salt).not.toBe(second.kdf.salt);
      expect(await anonymous.requestReset.mutate({ email: quoted })).toEqual({ ok: true });
    });
  });
});
