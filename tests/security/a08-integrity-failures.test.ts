import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isCryptoError, openLink } from '../../src/lib/core/crypto/index';
import { identityClient, mailbox, signUp } from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import { callProcedure, readStore, send, startSecurityServer, wireError } from './helpers';
import { cryptoMember, tamperIdentityStore } from './crypto-actors';

/**
 * OWASP A08:2021 Software and Data Integrity Failures. Ciphertexts are bound to their row,
 * purpose and key (AAD), so an operator or thief who moves, swaps or relabels them is
 * detected by the client; the server refuses malformed envelopes and prototype-polluting
 * JSON; and the code a browser runs is only the app's own, same-origin, hash-pinned shell.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startSecurityServer();
});
afterAll(async () => {
  await server?.dispose();
});

const codeOf = (error: unknown) => (isCryptoError(error) ? error.code : String(error));
const storedLink = z.object({ link: z.string() });

const openStored = async (
  member: Awaited<ReturnType<typeof cryptoMember>>,
  org: { orgId: string; orgKey: CryptoKey },
  linkId: string,
) => {
  const links = await member.member.api.org.links.list.query({ orgId: org.orgId });
  const stored = links.find((l) => l.linkId === linkId);
  return openLink({ ...org, linkId, keyVersion: 1, envelope: stored?.link }).then(
    (link) => link.financeEntityId,
    codeOf,
  );
};

describe('A08 Software and Data Integrity Failures', () => {
  it('links swapped between rows in the database no longer open (AAD binds the row)', async () => {
    const alice = await cryptoMember(server);
    const org = await alice.createOrganisation('Swap AB');
    const first = await alice.addLink(org);
    const second = await alice.addLink(org);
    expect(await openStored(alice, org, first.linkId)).toBe(first.secret.financeEntityId);
    tamperIdentityStore(server, (db) => {
      const read = (id: string) =>
        storedLink.parse(db.prepare('SELECT link FROM org_links WHERE id = ?').get(id)).link;
      const [a, b] = [read(first.linkId), read(second.linkId)];
      db.prepare('UPDATE org_links SET link = ? WHERE id = ?').run(b, first.linkId);
      db.prepare('UPDATE org_links SET link = ? WHERE id = ?').run(a, second.linkId);
    });
    // Each would open to the other company's capability: both are refused instead.
    expect(await openStored(alice, org, first.linkId)).toBe('DECRYPT_FAILED');
    expect(await openStored(alice, org, second.linkId)).toBe('DECRYPT_FAILED');
  });

  it('a link moved into another organisation, or relabelled with another key id, is refused', async () => {
    const alice = await cryptoMember(server);
    const home = await alice.createOrganisation('Hem AB');
    const other = await alice.createOrganisation('Annat AB');
    const { linkId } = await alice.addLink(home);
    tamperIdentityStore(server, (db) =>
      db.prepare('UPDATE org_links SET org_id = ? WHERE id = ?').run(other.orgId, linkId),
    );
    // Sealed for another organisation's key: refused before any decryption is tried.
    expect(await openStored(alice, other, linkId)).toBe('KID_MISMATCH');
    tamperIdentityStore(server, (db) => {
      const { link } = storedLink.parse(
        db.prepare('SELECT link FROM org_links WHERE id = ?').get(linkId),
      );
      const relabelled = {
        ...z.looseObject({}).parse(JSON.parse(link)),
        kid: `org:${other.orgId}:1`,
      };
      db.prepare('UPDATE org_links SET link = ? WHERE id = ?').run(
        JSON.stringify(relabelled),
        linkId,
      );
    });
    // The key id is authenticated too (it is part of the AAD).
    expect(await openStored(alice, other, linkId)).toBe('DECRYPT_FAILED');
  });

  it('the server refuses malformed envelopes and stores none of them', async () => {
    const alice = await cryptoMember(server);
    const org = await alice.createOrganisation('Form AB');
    const { envelope } = await alice.addLink(org);
    const malformed = {
      'an extra field': { ...envelope, note: 'x' },
      'no algorithm': { ...envelope, alg: 'none' },
      'padded base64': { ...envelope, ct: `${envelope.ct}==` },
      'a short IV': { ...envelope, iv: envelope.iv.slice(0, 8) },
      'a missing tag': { ...envelope, ct: envelope.ct.slice(0, 10) },
      'a kid with a space': { ...envelope, kid: 'org: x' },
    };
    for (const [what, link] of Object.entries(malformed)) {
      const linkId = randomUUID();
      const response = await callProcedure(
        server.url,
        { api: 'identity', path: 'org.links.add', type: 'mutation' },
        { orgId: org.orgId, linkId, keyVersion: 1, link },
        { cookie: `__Secure-nyckel_session=${alice.member.jar.token}` },
      );
      expect(wireError(response)?.data.reason, what).toBe('INVALID_INPUT');
      const stored = readStore(server, 'identity', (db) =>
        db.prepare('SELECT count(*) AS n FROM org_links WHERE id = ?').get(linkId),
      );
      expect(stored, what).toEqual({ n: 0 });
    }
  });

  it('prototype-polluting JSON is refused and grants nothing', async () => {
    const user = await signUp(server.url, mailbox(server.dataDir));
    const cookie = `__Secure-nyckel_session=${user.jar.token}`;
    const attempts = [
      [
        'identity',
        'login',
        '{"__proto__":{"role":"support"},"email":"a@example.se","authKey":"x"}',
      ],
      ['identity', 'org.create', '{"constructor":{"prototype":{"role":"support"}}}'],
      [
        'finance',
        'createEntity',
        '{"__proto__":{"synthetic":1},"capabilityHash":"00","profile":{}}',
      ],
    ] as const;
    for (const [api, path, body] of attempts) {
      const response = await send(server.url, `/api/${api}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(api === 'identity' ? { cookie } : {}) },
        body,
      });
      expect(response.status, path).toBe(400);
    }
    // Had any object's prototype been changed, this user would now pass for support staff.
    const supportConsole = await user.api.support.findUsers.query({ query: 'example' }).then(
      () => 'allowed',
      (error: { data?: { reason?: string } }) => error.data?.reason,
    );
    expect(supportConsole).toBe('SUPPORT_ONLY');
    expect((await identityClient(server.url).api.health.query()).ok).toBe(true);
  });

  describe('the code a browser runs is the app’s own', () => {
    it('every script of the shell is same-origin, and every inline one is pinned by the CSP', async () => {
      const shell = await send(server.url, '/');
      const csp = String(shell.headers['content-security-policy']);
      const sources = [
        ...shell.text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g),
      ].map((m) => m[1] ?? '');
      expect(sources.length).toBeGreaterThan(3);
      for (const source of sources) expect(source, source).toMatch(/^\/(?!\/)/);
      const inline = [
        ...shell.text.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g),
      ].map((m) => m[1] ?? '');
      for (const script of inline) {
        const hash = createHash('sha256').update(script, 'utf8').digest('base64');
        expect(csp).toContain(`'sha256-${hash}'`);
      }
    });

    it('the service worker is always revalidated, same-origin only, and never caches the API', async () => {
      const worker = await send(server.url, '/service-worker.js');
      expect(worker.status).toBe(200);
      expect(worker.headers['content-type']).toMatch(/javascript/);
      expect(worker.headers['cache-control']).toBe('no-cache');
      expect(worker.text).not.toMatch(/importScripts|https?:\/\/(?!www\.w3\.org)/);
      expect(worker.text).toContain('"/api/"');
      const manifest = await send(server.url, '/manifest.webmanifest');
      expect(manifest.text).not.toMatch(/https?:\/\//);
    });
  });
});
