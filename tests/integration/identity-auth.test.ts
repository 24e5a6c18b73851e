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
  fakeEnvelope,
  fakeKdf,
  fakePublicKey,
  identityClient,
  mailbox,
  randomKey,
  signUp,
} from '../helpers/identity-http';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let mail: ReturnType<typeof mailbox>;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'nyckel-identity-'));
  server = await startTestServer({ dataDir });
  mail = mailbox(dataDir);
});

afterAll(async () => {
  await server.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('preLogin does not reveal which e-mail addresses have an account', () => {
  it('answers known and unknown addresses with the same shape; unknown salts are stable', async () => {
    const known = await signUp(server.url, mail);
    const anonymous = identityClient(server.url).api;
    const real = await anonymous.preLogin.query({ email: known.account.email });
    expect(real).toEqual({ kdf: known.account.kdf });

    const unknown = 'nobody-here@example.se';
    const first = await anonymous.preLogin.query({ email: unknown });
    const second = await anonymous.preLogin.query({ email: ' NOBODY-here@Example.se' });
    expect(second).toEqual(first);
    expect(Object.keys(first.kdf).sort()).toEqual(Object.keys(real.kdf).sort());
    expect(first.kdf).toMatchObject({ alg: 'argon2id', m: 65_536, t: 3, p: 1 });
    expect(Buffer.from(first.kdf.salt, 'base64url')).toHaveLength(16);
    expect(first.kdf.salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const other = await anonymous.preLogin.query({ email: 'someone-else@example.se' });
    expect(other.kdf.salt).not.toBe(first.kdf.salt);
  });

  it('keeps the fake salt across restarts (the HMAC key is stored)', async () => {
    const email = 'stable-after-restart@example.se';
    const before = await identityClient(server.url).api.preLogin.query({ email });
    await server.stop();
    const again = await startTestServer({ dataDir: server.dataDir });
    try {
      const after = await identityClient(again.url).api.preLogin.query({ email });
      expect(after).toEqual(before);
    } finally {
      await again.stop();
    }
    server = await startTestServer({ dataDir: server.dataDir });
    mail = mailbox(server.dataDir);
    mail.markAllSeen();
  });
});

describe('login', () => {
  it('answers a wrong key and an unknown address identically', async () => {
    const user = await signUp(server.url, mail);
    const api = identityClient(server.url).api;
    const wrongKey = await failure(
      api.login.mutate({ email: user.account.email, authKey: randomKey() }),
    );
    const noSuchUser = await failure(
      api.login.mutate({ email: 'nobody@example.se', authKey: randomKey() }),
    );
    expect(wrongKey).toEqual(noSuchUser);
    // Both paths run one Argon2id verification: their times are of the same order.
    const time = async (email: string) => {
      const samples: number[] = [];
      // Three tries each, below the lockout threshold of five.
      for (let i = 0; i < 3; i += 1) {
        const started = performance.now();
        await failure(api.login.mutate({ email, authKey: randomKey() }));
        samples.push(performance.now() - started);
      }
      return samples.sort((a, b) => a - b)[1]!;
    };
    const known = await time(user.account.email);
    const unknown = await time('nobody-either@example.se');
    expect(unknown / known).toBeGreaterThan(0.33);
    expect(unknown / known).toBeLessThan(3);
    expect(wrongKey).toMatchObject({
      code: 'UNAUTHORIZED',
      reason: 'LOGIN_FAILED',
      message: 'E-mail address or password is wrong.',
      messageSv: 'Fel e-postadress eller lösenord.',
    });
  });

  it('sets the session cookie exactly as specified, with a new token at every login', async () => {
    const user = await signUp(server.url, mail);
    const [cookie] = user.jar.setCookies;
    expect(cookie).toMatch(
      /^__Secure-nyckel_session=[A-Za-z0-9_-]{43}; Path=\/api\/identity; HttpOnly; Secure; SameSite=Strict$/,
    );
    const first = user.jar.token;
    await user.api.login.mutate({ email: user.account.email, authKey: user.account.authKey });
    expect(user.jar.token).not.toBe(first);
    const sessions = await user.api.sessions.query();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);

    await user.api.logout.mutate();
    expect(user.jar.setCookies.at(-1)).toBe(
      '__Secure-nyckel_session=; Path=/api/identity; HttpOnly; Secure; SameSite=Strict; Max-Age=0',
    );
  });

  it('locks an account exponentially after 5 failures, and unknown addresses lock alike', async () => {
    const user = await signUp(server.url, mail);
    const api = identityClient(server.url).api;
    const attempt = (email: string, authKey = randomKey()) =>
      failure(api.login.mutate({ email, authKey }));
    for (const email of [user.account.email, 'ghost@example.se']) {
      for (let i = 0; i < 5; i += 1) {
        expect(await attempt(email)).toMatchObject({ reason: 'LOGIN_FAILED' });
      }
      const locked = await attempt(email);
      expect(locked).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'LOGIN_LOCKED' });
      expect(locked.details?.retryAfterSeconds).toBe(1);
    }
    // Even the right key is refused while locked.
    expect(await attempt(user.account.email, user.account.authKey)).toMatchObject({
      reason: 'LOGIN_LOCKED',
    });
    // Lock expiry and escalation are tested with the injected clock (identity-session).
  });

  it('needs no session for preLogin/register but a session for everything personal', async () => {
    const api = identityClient(server.url).api;
    await expectFailure(api.me.query(), { code: 'UNAUTHORIZED', reason: 'NOT_LOGGED_IN' });
    await expectFailure(api.sessions.query(), { code: 'UNAUTHORIZED' });
    await expectFailure(api.org.get.query({ orgId: randomUUID() }), { code: 'UNAUTHORIZED' });
    expect(await api.logout.mutate()).toEqual({ ok: true });
  });

  it('validates input with readable Swedish and English messages', async () => {
    const api = identityClient(server.url).api;
    const error = await expectFailure(
      api.login.mutate({ email: 'not-an-address', authKey: 'short' }),
      { code: 'BAD_REQUEST', reason: 'INVALID_INPUT' },
    );
    expect(error.message).toContain('email');
    expect(error.messageSv).toContain('Ogiltiga uppgifter');
    const account = fakeAccount();
    await expectFailure(
      api.register.mutate({
        ...account.registerInput,
        wrappedUserKey: { ...fakeEnvelope('k'), ct: 'x'.repeat(5000) },
      }),
      { code: 'BAD_REQUEST', reason: 'INVALID_INPUT' },
    );
    await expectFailure(
      api.register.mutate({ ...account.registerInput, kdf: { ...fakeKdf(), m: 1024 } }),
      { code: 'BAD_REQUEST', reason: 'INVALID_INPUT' },
    );
  });
});

describe('sessions and passwords', () => {
  it('revokes one of its own sessions, but not somebody else’s', async () => {
    const user = await signUp(server.url, mail);
    const laptop = identityClient(server.url, { userAgent: 'Laptop browser' });
    await laptop.api.login.mutate({ email: user.account.email, authKey: user.account.authKey });
    const list = await user.api.sessions.query();
    const other = list.find((s) => !s.current)!;
    expect(other.userAgent).toBe('Laptop browser');
    const stranger = await signUp(server.url, mail);
    await expectFailure(stranger.api.revokeSession.mutate({ sessionId: other.id }), {
      code: 'NOT_FOUND',
      reason: 'SESSION_NOT_FOUND',
    });
    await user.api.revokeSession.mutate({ sessionId: other.id });
    await expectFailure(laptop.api.me.query(), { code: 'UNAUTHORIZED' });
    expect((await user.api.me.query()).user.id).toBe(user.account.userId);
  });

  it('changePassword checks the current key, bumps the generation, ends other sessions', async () => {
    const user = await signUp(server.url, mail);
    const phone = identityClient(server.url);
    await phone.api.login.mutate({ email: user.account.email, authKey: user.account.authKey });
    const newKey = randomKey();
    const newKdf = fakeKdf();
    const wrappedUserKey = fakeEnvelope(`pwd:${user.account.userId}:2`);
    await expectFailure(
      user.api.changePassword.mutate({
        currentAuthKey: randomKey(),
        kdf: newKdf,
        authKey: newKey,
        wrappedUserKey,
      }),
      { code: 'UNAUTHORIZED', reason: 'CURRENT_PASSWORD_WRONG' },
    );
    expect(
      await user.api.changePassword.mutate({
        currentAuthKey: user.account.authKey,
        kdf: newKdf,
        authKey: newKey,
        wrappedUserKey,
      }),
    ).toEqual({ ok: true, keyGeneration: 2 });
    await expectFailure(phone.api.me.query(), { code: 'UNAUTHORIZED' });
    const me = await user.api.me.query();
    expect(me.user.keyGeneration).toBe(2);
    expect(me.keys.wrappedUserKey).toEqual(wrappedUserKey);

    const api = identityClient(server.url).api;
    expect(await api.preLogin.query({ email: user.account.email })).toEqual({ kdf: newKdf });
    await expectFailure(
      api.login.mutate({ email: user.account.email, authKey: user.account.authKey }),
      {
        reason: 'LOGIN_FAILED',
      },
    );
    await api.login.mutate({ email: user.account.email, authKey: newKey });
  });
});

describe('recovery with the recovery code (keys kept)', () => {
  it('hands out the recovery-wrapped key and a short-lived token; sessions end', async () => {
    const user = await signUp(server.url, mail);
    const api = identityClient(server.url).api;
    await expectFailure(
      api.recoveryStart.mutate({ email: user.account.email, recoveryAuthKey: randomKey() }),
      { code: 'UNAUTHORIZED', reason: 'RECOVERY_FAILED' },
    );
    const started = await api.recoveryStart.mutate({
      email: user.account.email,
      recoveryAuthKey: user.account.recoveryAuthKey,
    });
    expect(started.userId).toBe(user.account.userId);
    expect(started.wrappedUserKey).toEqual(user.account.registerInput.recovery.wrappedUserKey);
    expect(started.keys.publicKey).toBe(user.account.publicKey);
    expect(started.resetToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const newKey = randomKey();
    const newRecoveryKey = randomKey();
    const complete = {
      resetToken: started.resetToken,
      kdf: fakeKdf(),
      authKey: newKey,
      wrappedUserKey: fakeEnvelope(`pwd:${user.account.userId}:2`),
      recovery: {
        wrappedUserKey: fakeEnvelope(`rec:${user.account.userId}:2`),
        authKey: newRecoveryKey,
      },
    };
    expect(await api.recoveryComplete.mutate(complete)).toEqual({ ok: true });
    await expectFailure(api.recoveryComplete.mutate(complete), { reason: 'TOKEN_INVALID' });
    await expectFailure(user.api.me.query(), { code: 'UNAUTHORIZED' });

    const after = await api.login.mutate({ email: user.account.email, authKey: newKey });
    // Same key pair: organisation access is kept.
    expect(after.keys.publicKey).toBe(user.account.publicKey);
    expect(after.keys.wrappedPrivateKey).toEqual(user.account.registerInput.wrappedPrivateKey);
    // The old recovery code no longer works; the new one does.
    await expectFailure(
      api.recoveryStart.mutate({
        email: user.account.email,
        recoveryAuthKey: user.account.recoveryAuthKey,
      }),
      { reason: 'RECOVERY_FAILED' },
    );
    await api.recoveryStart.mutate({ email: user.account.email, recoveryAuthKey: newRecoveryKey });
  });
});

describe('reset by e-mail (new keys)', () => {
  it('always answers {ok}; the mailed link gives new keys and every membership needs a re-grant', async () => {
    const owner = await signUp(server.url, mail);
    const member = await signUp(server.url, mail);
    const orgId = randomUUID();
    await owner.api.org.create.mutate({
      orgId,
      kind: 'bureau',
      name: 'Byrån AB',
      orgNumber: '556677-8899',
      wrappedOrgKey: fakeEcies(),
    });
    await owner.api.org.invite.mutate({ orgId, email: member.account.email, role: 'member' });
    const invite = await mail.next(member.account.email, 'invite');
    await member.api.org.acceptInvite.mutate({ token: invite.token! });
    await owner.api.org.confirmMember.mutate({
      orgId,
      userId: member.account.userId,
      keyVersion: 1,
      wrappedOrgKey: fakeEcies(),
    });

    const api = identityClient(server.url).api;
    expect(await api.requestReset.mutate({ email: 'nobody-at-all@example.se' })).toEqual({
      ok: true,
    });
    expect(await api.requestReset.mutate({ email: member.account.email })).toEqual({ ok: true });
    const resetMail = await mail.next(member.account.email, 'reset');
    expect(resetMail.body).toContain('/reset?token=');
    expect(resetMail.body).toContain('återställningskod');

    expect(await api.resetTokenInfo.query({ token: resetMail.token! })).toEqual({
      userId: member.account.userId,
      email: member.account.email,
    });
    const newKey = randomKey();
    const newPublicKey = fakePublicKey();
    await api.completeEmailReset.mutate({
      token: resetMail.token!,
      kdf: fakeKdf(),
      authKey: newKey,
      wrappedUserKey: fakeEnvelope(`pwd:${member.account.userId}:2`),
      publicKey: newPublicKey,
      wrappedPrivateKey: fakeEnvelope(`user:${member.account.userId}:1`, 160),
      recovery: { wrappedUserKey: fakeEnvelope('rec'), authKey: randomKey() },
    });
    await expectFailure(member.api.me.query(), { code: 'UNAUTHORIZED' });
    await expectFailure(api.resetTokenInfo.query({ token: resetMail.token! }), {
      code: 'BAD_REQUEST',
      reason: 'TOKEN_INVALID',
    });
    const again = identityClient(server.url);
    const login = await again.api.login.mutate({ email: member.account.email, authKey: newKey });
    expect(login.keys.publicKey).toBe(newPublicKey);
    const me = await again.api.me.query();
    expect(me.memberships).toEqual([
      expect.objectContaining({ orgId, status: 'needs-regrant', wrappedOrgKey: null }),
    ]);
    const members = await owner.api.org.members.query({ orgId });
    expect(members.find((m) => m.userId === member.account.userId)).toMatchObject({
      status: 'needs-regrant',
      publicKey: newPublicKey,
      keyVersion: null,
    });
    await expectFailure(again.api.org.links.list.query({ orgId }), {
      reason: 'MEMBERSHIP_NOT_ACTIVE',
    });
    // An admin re-grants with the member's new public key.
    await owner.api.org.confirmMember.mutate({
      orgId,
      userId: member.account.userId,
      keyVersion: 1,
      wrappedOrgKey: fakeEcies(),
    });
    expect((await again.api.me.query()).memberships[0]).toMatchObject({ status: 'active' });
    const types = (await owner.api.org.audit.query({ orgId })).map((e) => e.type);
    expect(types).toContain('email_reset');
  });
});
