import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAccount, mailbox, randomKey, signUp } from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import {
  callProcedure,
  send,
  startSecurityServer,
  UNLIMITED,
  wireError,
  type RawResponse,
} from './helpers';
import { buildWorld, type World } from './world';

/**
 * OWASP A04:2021 Insecure Design: guessing and flooding are throttled by design. Each attack
 * comes from its own loopback address (127.0.0.x are distinct clients), against a server
 * whose limits are small enough to reach in a test: the per-address block after failed
 * logins or capabilities (doubling with each block), and the per-account, per-organisation
 * and per-address limits on the procedures that send mail or reveal salts.
 */
let server: TestServer;
let world: World;

const LIMITS = [
  UNLIMITED,
  'login_failures_ip=4/600',
  'capability_failures_ip=5/600',
  'login_ip=15/60',
  'reset_account=3/3600',
  'register_ip=12/3600',
  'invite_org=3/86400',
  'prelogin_account=5/60',
  'create_entity_ip=4/3600',
].join(',');

beforeAll(async () => {
  server = await startSecurityServer({
    NYCKEL_RATE_LIMITS: LIMITS,
    NYCKEL_RATE_LIMIT_BLOCK_SECONDS: '1',
    NYCKEL_RATE_LIMIT_BLOCK_MAX_SECONDS: '4',
  });
  world = await buildWorld(server);
});
afterAll(async () => {
  await server?.dispose();
});

const login = (email: string, authKey: string, from: string, headers?: Record<string, string>) =>
  callProcedure(
    server.url,
    { api: 'identity', path: 'login', type: 'mutation' },
    { email, authKey },
    { localAddress: from, headers },
  );

const reasonOf = (response: RawResponse) => wireError(response)?.data.reason;

/** A refusal as the client sees it: 429, both languages, when to retry (body and header). */
function expectRateLimited(response: RawResponse, retryAfterSeconds?: number) {
  expect(response.status, response.text).toBe(429);
  const error = wireError(response);
  expect(error?.data.reason).toBe('RATE_LIMITED');
  expect(error?.message).toMatch(/Too many attempts/);
  expect(error?.data.messageSv).toMatch(/För många försök/);
  const seconds = error?.data.details?.['retryAfterSeconds'];
  expect(typeof seconds).toBe('number');
  expect(response.headers['retry-after']).toBe(String(seconds));
  if (retryAfterSeconds !== undefined) expect(seconds).toBe(retryAfterSeconds);
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('A04 Insecure Design: brute force is throttled', () => {
  it('password spraying from one address blocks it, twice as long the second time', async () => {
    const victims = await Promise.all(
      Array.from({ length: 5 }, () => signUp(server.url, mailbox(server.dataDir))),
    );
    const attacker = '127.0.0.2';
    // One wrong guess per account: no account reaches its own lockout.
    for (const victim of victims.slice(0, 4)) {
      expect(reasonOf(await login(victim.account.email, randomKey(), attacker))).toBe(
        'LOGIN_FAILED',
      );
    }
    const fifth = victims[4]!.account;
    // Blocked: even the right password is not checked from this address.
    expectRateLimited(await login(fifth.email, fifth.authKey, attacker), 1);
    // A forged X-Forwarded-For is not believed (no trusted proxy configured).
    expectRateLimited(
      await login(fifth.email, fifth.authKey, attacker, { 'x-forwarded-for': '203.0.113.9' }),
    );
    // Another client is not affected.
    expect((await login(fifth.email, fifth.authKey, '127.0.0.3')).status).toBe(200);

    await pause(1100);
    for (const victim of victims.slice(0, 4)) {
      expect(reasonOf(await login(victim.account.email, randomKey(), attacker))).toBe(
        'LOGIN_FAILED',
      );
    }
    expectRateLimited(await login(fifth.email, fifth.authKey, attacker), 2);
  });

  it('an account locks after five failures, from however many addresses they come', async () => {
    const victim = await signUp(server.url, mailbox(server.dataDir));
    const reasons: (string | undefined)[] = [];
    for (let i = 0; i < 6; i += 1) {
      reasons.push(reasonOf(await login(victim.account.email, randomKey(), `127.0.1.${i + 1}`)));
    }
    expect(reasons).toEqual([...Array(5).fill('LOGIN_FAILED'), 'LOGIN_LOCKED']);
  });

  it('a batch of logins is counted call by call, so batching buys no attempts', async () => {
    const from = '127.0.0.12';
    // Six single attempts, then a batch of ten: the 16th call is over login_ip=15/60.
    for (let i = 0; i < 6; i += 1) await login(`spray-${i}@example.se`, randomKey(), from);
    const paths = Array.from({ length: 10 }, () => 'login').join(',');
    const body = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        i,
        { email: `batch-${i}@example.se`, authKey: randomKey() },
      ]),
    );
    const response = await send(server.url, `/api/identity/${paths}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      localAddress: from,
    });
    const answers = response.json;
    expect(Array.isArray(answers)).toBe(true);
    expect(JSON.stringify(answers).match(/"reason":"RATE_LIMITED"/g)).toHaveLength(10);
  });

  it('guessing capabilities across many entities blocks the address for every capability call', async () => {
    const attacker = '127.0.0.4';
    const guess = (entityId: string, capability: string, from = attacker) =>
      callProcedure(
        server.url,
        { api: 'finance', path: 'listYears', type: 'query' },
        { entityId, capability },
        { localAddress: from },
      );
    for (let i = 0; i < 5; i += 1) {
      const response = await guess(randomBytes(16).toString('hex'), randomKey());
      expect(reasonOf(response)).toBe('CAPABILITY_REFUSED');
    }
    // Each entity saw one failure (its own throttle is far away); the address is blocked.
    expectRateLimited(await guess(world.alice.entityId, world.alice.capability), 1);
    // Calls that check no capability still work from there; other clients are unaffected.
    const health = await callProcedure(
      server.url,
      { api: 'finance', path: 'health', type: 'query' },
      undefined,
      { localAddress: attacker },
    );
    expect(health.status).toBe(200);
    expect((await guess(world.alice.entityId, world.alice.capability, '127.0.0.5')).status).toBe(
      200,
    );
  });

  it('a victim cannot be mail-bombed with reset links, from any number of addresses', async () => {
    const victim = await signUp(server.url, mailbox(server.dataDir));
    const inbox = mailbox(server.dataDir);
    inbox.markAllSeen();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await callProcedure(
        server.url,
        { api: 'identity', path: 'requestReset', type: 'mutation' },
        // However the address is written, it is one account.
        { email: i % 2 === 0 ? victim.account.email : ` ${victim.account.email.toUpperCase()}` },
        { localAddress: `127.0.2.${i + 1}` },
      );
      statuses.push(response.status);
      if (response.status === 429) expectRateLimited(response);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Mails are written in the background: wait for three, then make sure no more come.
    const resets = () =>
      inbox.all().filter((m) => m.to.includes(victim.account.email) && m.kind === 'reset');
    for (let waited = 0; resets().length < 3 && waited < 5000; waited += 50) await pause(50);
    await pause(300);
    expect(resets()).toHaveLength(3);
  });

  it('registration floods from one address are refused', async () => {
    const register = (from: string) =>
      callProcedure(
        server.url,
        { api: 'identity', path: 'register', type: 'mutation' },
        fakeAccount().registerInput,
        { localAddress: from },
      );
    const statuses = [];
    for (let i = 0; i < 13; i += 1) statuses.push((await register('127.0.0.10')).status);
    expect(statuses).toEqual([...Array(12).fill(200), 429]);
    expect((await register('127.0.0.11')).status).toBe(200);
  });

  it('anonymous entities cannot be created without limit from one address', async () => {
    const create = (from: string) =>
      callProcedure(
        server.url,
        { api: 'finance', path: 'createEntity', type: 'mutation' },
        {
          capabilityHash: randomBytes(32).toString('hex'),
          profile: { sni: null, employeeBand: null, county: null },
        },
        { localAddress: from },
      );
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await create('127.0.4.1')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expectRateLimited(await create('127.0.4.1'));
    expect((await create('127.0.4.2')).status).toBe(200);
  });

  it('an organisation cannot send unlimited invitations', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      const invited = await world.alice.client.api.org.invite
        .mutate({ orgId: world.alice.orgId, email: `invitee-${i}@example.se`, role: 'member' })
        .then(
          () => 200,
          (error: { data?: { httpStatus?: number; reason?: string } }) => {
            expect(error.data?.reason).toBe('RATE_LIMITED');
            return error.data?.httpStatus;
          },
        );
      statuses.push(invited);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('salts of one address cannot be harvested by repeated pre-logins', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await callProcedure(
        server.url,
        { api: 'identity', path: 'preLogin', type: 'query' },
        { email: 'harvest@example.se' },
        { localAddress: `127.0.3.${i + 1}` },
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('every refusal is counted by limiter in /metrics', async () => {
    const text = (await send(server.url, '/metrics')).text;
    const hits = (limiter: string) =>
      Number(
        new RegExp(`nyckel_rate_limit_hits_total\\{limiter="${limiter}"\\} (\\d+)`).exec(text)?.[1],
      );
    expect(hits('login_failures_ip')).toBeGreaterThanOrEqual(3);
    expect(hits('capability_failures_ip')).toBeGreaterThanOrEqual(1);
    expect(hits('login_ip')).toBe(1);
    expect(hits('reset_account')).toBe(2);
    expect(hits('register_ip')).toBe(1);
    expect(hits('invite_org')).toBe(1);
    expect(hits('prelogin_account')).toBe(1);
    expect(hits('create_entity_ip')).toBe(2);
    expect(hits('login_lockout')).toBe(1);
  });
});
