import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectFailure,
  failure,
  fakeAccount,
  fakeEcies,
  identityClient,
  mailbox,
  randomKey,
  signUp,
  testClock,
} from '../helpers/identity-http';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Time-dependent rules, driven by the server's injected test clock (NYCKEL_TEST_CLOCK_FILE)
 * instead of sleeping: idle and absolute session expiry, lockout escalation, token expiry.
 */
let server: TestServer;
let mail: ReturnType<typeof mailbox>;
let clockDir: string;
let clock: ReturnType<typeof testClock>;

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  clockDir = mkdtempSync(join(tmpdir(), 'nyckel-clock-'));
  const clockFile = join(clockDir, 'offset');
  clock = testClock(clockFile);
  server = await startTestServer({ env: { NYCKEL_TEST_CLOCK_FILE: clockFile } });
  mail = mailbox(server.dataDir);
});

afterAll(async () => {
  await server.dispose();
  rmSync(clockDir, { recursive: true, force: true });
});

describe('session expiry', () => {
  it('warns in the log that a test clock is in use', () => {
    expect(server.output()).toContain('NYCKEL_TEST_CLOCK_FILE is set');
  });

  it('ends a session after 30 idle minutes; activity keeps it alive', async () => {
    const user = await signUp(server.url, mail);
    clock.advance(29 * MINUTE);
    await user.api.me.query();
    clock.advance(29 * MINUTE);
    await user.api.me.query();
    clock.advance(30 * MINUTE + 1000);
    await expectFailure(user.api.me.query(), { code: 'UNAUTHORIZED', reason: 'SESSION_EXPIRED' });
    // The expired cookie is cleared, and the session stays dead.
    expect(user.jar.token).toBeUndefined();
    expect(user.jar.setCookies.at(-1)).toMatch(/Max-Age=0$/);
  });

  it('ends a session 12 hours after login however active it is', async () => {
    const user = await signUp(server.url, mail);
    for (let elapsed = 0; elapsed < 11 * HOUR + 40 * MINUTE; elapsed += 20 * MINUTE) {
      clock.advance(20 * MINUTE);
      await user.api.me.query();
    }
    clock.advance(25 * MINUTE);
    await expectFailure(user.api.me.query(), { code: 'UNAUTHORIZED', reason: 'SESSION_EXPIRED' });
    // A fresh login gives a fresh 12 hours.
    await user.api.login.mutate({ email: user.account.email, authKey: user.account.authKey });
    await user.api.me.query();
  });
});

describe('lockout escalation', () => {
  it('locks 2^(n-5) seconds after the n-th failure, at most 15 minutes', async () => {
    const user = await signUp(server.url, mail);
    const api = identityClient(server.url).api;
    const fail = () =>
      failure(api.login.mutate({ email: user.account.email, authKey: randomKey() }));
    for (let i = 0; i < 4; i += 1) expect(await fail()).toMatchObject({ reason: 'LOGIN_FAILED' });
    const seen: number[] = [];
    for (let n = 5; n <= 16; n += 1) {
      expect(await fail()).toMatchObject({ reason: 'LOGIN_FAILED' });
      const locked = await fail();
      expect(locked).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'LOGIN_LOCKED' });
      const seconds = locked.details?.retryAfterSeconds as number;
      seen.push(seconds);
      clock.advance(seconds * 1000 + 1000);
    }
    expect(seen.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(Math.max(...seen)).toBe(15 * 60);

    // The right key works once the lock is over, and resets the counter.
    await api.login.mutate({ email: user.account.email, authKey: user.account.authKey });
    expect(await fail()).toMatchObject({ reason: 'LOGIN_FAILED' });
  });
});

describe('token expiry', () => {
  it('a verification link expires after 24 hours', async () => {
    const account = fakeAccount();
    const client = identityClient(server.url);
    await client.api.register.mutate(account.registerInput);
    const verification = await mail.next(account.email, 'verify');
    clock.advance(24 * HOUR + MINUTE);
    await expectFailure(client.api.verifyEmail.mutate({ token: verification.token! }), {
      code: 'BAD_REQUEST',
      reason: 'TOKEN_INVALID',
    });
  });

  it('an invitation expires after 7 days', async () => {
    const owner = await signUp(server.url, mail);
    const invitee = await signUp(server.url, mail);
    const orgId = randomUUID();
    await owner.api.org.create.mutate({
      orgId,
      kind: 'company',
      name: 'Tidigt AB',
      orgNumber: '556677-8899',
      wrappedOrgKey: fakeEcies(),
    });
    await owner.api.org.invite.mutate({ orgId, email: invitee.account.email, role: 'member' });
    const invite = await mail.next(invitee.account.email, 'invite');
    clock.advance(7 * 24 * HOUR + MINUTE);
    await invitee.api.login.mutate({
      email: invitee.account.email,
      authKey: invitee.account.authKey,
    });
    await expectFailure(invitee.api.org.acceptInvite.mutate({ token: invite.token! }), {
      code: 'NOT_FOUND',
      reason: 'INVITATION_INVALID',
    });
  });
});
