import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server';
import {
  ALL_PROCEDURES,
  callProcedure,
  send,
  startSecurityServer,
  wireError,
  type ProcedureEntry,
} from './helpers';
import { accepts, validInput } from './known-values';
import { buildWorld, cookieOf, type World } from './world';

/**
 * OWASP A01:2021 Broken Access Control. Insecure direct object references against every
 * organisation, link and finance-entity procedure (read from the routers), procedures
 * without a session, support staff against organisations, and path traversal out of the
 * app directory.
 */
let server: TestServer;
let world: World;

beforeAll(async () => {
  server = await startSecurityServer();
  world = await buildWorld(server);
});
afterAll(async () => {
  await server?.dispose();
});

const takesField = (entry: ProcedureEntry, field: string) =>
  (JSON.stringify(validInput(entry.input, {})) ?? '').includes(`"${field}":`);

const orgProcedures = ALL_PROCEDURES.filter(
  (p) =>
    p.api === 'identity' &&
    p.path.startsWith('org.') &&
    // Creating an organisation names a new id; it is no access to an existing one.
    p.path !== 'org.create' &&
    takesField(p, 'orgId'),
);
const entityProcedures = ALL_PROCEDURES.filter(
  (p) => p.api === 'finance' && takesField(p, 'entityId') && takesField(p, 'capability'),
);

/** What Alice has that no one else may see in any answer. */
const aliceSecrets = () => [world.alice.orgName, world.alice.linkId, world.alice.entityId];

describe('A01 Broken Access Control', () => {
  it('covers every organisation and entity procedure', () => {
    expect(orgProcedures.map((p) => p.path)).toEqual(
      expect.arrayContaining(['org.get', 'org.members', 'org.invite', 'org.links.list']),
    );
    expect(entityProcedures.map((p) => p.path)).toEqual(
      expect.arrayContaining(['listYears', 'uploadYears', 'benchmark', 'deleteEntity']),
    );
  });

  it("IDOR: Bob's session on Alice's organisation gets what a non-existent one gets", async () => {
    const bob = cookieOf(world.bob.client);
    for (const entry of orgProcedures) {
      const ids = {
        linkId: () => world.alice.linkId,
        userId: () => world.alice.account.userId,
      };
      const onAlice = await callProcedure(
        server.url,
        entry,
        validInput(entry.input, { ...ids, orgId: () => world.alice.orgId }),
        { cookie: bob },
      );
      const onNothing = await callProcedure(
        server.url,
        entry,
        validInput(entry.input, { ...ids, orgId: () => randomUUID() }),
        { cookie: bob },
      );
      expect(onAlice.status, entry.path).toBe(404);
      expect(wireError(onAlice)?.data.reason, entry.path).toBe('ORG_NOT_FOUND');
      expect(onNothing.status, entry.path).toBe(onAlice.status);
      expect(wireError(onNothing)?.data.reason, entry.path).toBe('ORG_NOT_FOUND');
      for (const secret of aliceSecrets()) expect(onAlice.text, entry.path).not.toContain(secret);
    }
    // Nothing of Alice's changed.
    const links = await world.alice.client.api.org.links.list.query({ orgId: world.alice.orgId });
    expect(links.map((l) => l.linkId)).toEqual([world.alice.linkId]);
    const members = await world.alice.client.api.org.members.query({ orgId: world.alice.orgId });
    expect(members).toHaveLength(1);
  });

  it("IDOR: Alice's link id through Bob's own organisation finds nothing", async () => {
    const remove = await world.bob.client.api.org.links.remove
      .mutate({ orgId: world.bob.orgId, linkId: world.alice.linkId })
      .then(
        () => 'removed',
        (error: { data?: { reason?: string } }) => error.data?.reason,
      );
    expect(remove).toBe('LINK_NOT_FOUND');
    const bobsLinks = await world.bob.client.api.org.links.list.query({ orgId: world.bob.orgId });
    expect(bobsLinks.map((l) => l.linkId)).toEqual([world.bob.linkId]);
    const alicesLinks = await world.alice.client.api.org.links.list.query({
      orgId: world.alice.orgId,
    });
    expect(alicesLinks.map((l) => l.linkId)).toEqual([world.alice.linkId]);
  });

  it("IDOR: Bob's valid capability opens only Bob's entity, on every entity procedure", async () => {
    for (const entry of entityProcedures) {
      const input = validInput(entry.input, {
        entityId: () => world.alice.entityId,
        capability: () => world.bob.capability,
      });
      const response = await callProcedure(server.url, entry, input);
      for (const secret of aliceSecrets()) expect(response.text, entry.path).not.toContain(secret);
      if (!accepts(entry.input, input)) {
        // Cross-field rules this suite cannot satisfy refuse the input before any lookup.
        expect(wireError(response)?.data.reason, entry.path).toBe('INVALID_INPUT');
        continue;
      }
      expect(response.status, entry.path).toBe(401);
      expect(wireError(response)?.data.reason, entry.path).toBe('CAPABILITY_REFUSED');
    }
    const years = await callProcedure(
      server.url,
      { api: 'finance', path: 'listYears', type: 'query' },
      { entityId: world.alice.entityId, capability: world.alice.capability },
    );
    expect(years.status).toBe(200);
    expect(years.text).toContain('"start"');
  });

  it('without a session no personal procedure answers', async () => {
    const open = new Set([
      'health',
      'preLogin',
      'register',
      'verifyEmail',
      'login',
      'logout',
      'recoveryStart',
      'recoveryComplete',
      'requestReset',
      'resetTokenInfo',
      'completeEmailReset',
    ]);
    const guarded = ALL_PROCEDURES.filter((p) => p.api === 'identity' && !open.has(p.path));
    expect(guarded.length).toBeGreaterThan(15);
    for (const entry of guarded) {
      const input = validInput(entry.input, { orgId: () => world.alice.orgId });
      const response = await callProcedure(server.url, entry, input);
      expect(response.status, entry.path).toBe(401);
      expect(wireError(response)?.data.reason, entry.path).toBe('NOT_LOGGED_IN');
    }
    // A forged or stale session cookie is no better than none.
    const forged = await callProcedure(
      server.url,
      { api: 'identity', path: 'me', type: 'query' },
      undefined,
      { cookie: `__Secure-nyckel_session=${'A'.repeat(43)}` },
    );
    expect(wireError(forged)?.data.reason).toBe('NOT_LOGGED_IN');
  });

  it('support staff reach no organisation procedure', async () => {
    const support = cookieOf(world.support.client);
    for (const entry of orgProcedures) {
      const input = validInput(entry.input, { orgId: () => world.alice.orgId });
      const response = await callProcedure(server.url, entry, input, { cookie: support });
      expect(response.status, entry.path).toBe(403);
      expect(wireError(response)?.data.reason, entry.path).toBe('SUPPORT_NO_ORG_ACCESS');
    }
    const found = await world.support.client.api.support.findOrgs.query({ query: 'alice' });
    expect(found.map((o) => o.orgId)).toEqual([world.alice.orgId]);
    // What support sees of an organisation holds no key, envelope or link.
    expect(JSON.stringify(found)).not.toMatch(/"(ct|iv|epk|link|wrapped\w*)"/);
  });

  it('an ordinary account cannot use the support console', async () => {
    for (const entry of ALL_PROCEDURES.filter((p) => p.path.startsWith('support.'))) {
      const input = validInput(entry.input, { userId: () => world.bob.account.userId });
      const response = await callProcedure(server.url, entry, input, {
        cookie: cookieOf(world.alice.client),
      });
      expect(response.status, entry.path).toBe(403);
      expect(wireError(response)?.data.reason, entry.path).toBe('SUPPORT_ONLY');
    }
  });

  it('path traversal never leaves the built app', async () => {
    const attempts = [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/_app/..%2f..%2fserver%2fapp.ts',
      '/_app/immutable/../../../data/identity.db',
      '/..\\..\\package.json',
      '/%252e%252e/package.json',
      '/.%00./package.json',
    ];
    for (const path of attempts) {
      const response = await send(server.url, path);
      expect(response.text, path).not.toMatch(/"name": "nyckel"|root:x:0:0|SQLite format|import /);
      expect([200, 400, 404], path).toContain(response.status);
    }
  });
});
