import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeAccount,
  fakeEnvelope,
  fakeKdf,
  mailbox,
  randomKey,
  SESSION_COOKIE,
  signUp,
} from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import { callProcedure, readStore, startSecurityServer, wireError } from './helpers';

/**
 * OWASP A07:2021 Identification and Authentication Failures: session fixation, cookie
 * flags, stale and stolen sessions, credential guessing, account enumeration and weak
 * key-derivation settings, against the real server.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startSecurityServer();
});
afterAll(async () => {
  await server?.dispose();
});

const me = (cookie: string) =>
  callProcedure(server.url, { api: 'identity', path: 'me', type: 'query' }, undefined, { cookie });

/** Logs in with a raw request carrying `cookie`; returns the session cookie set, if any. */
async function loginWith(email: string, authKey: string, cookie?: string) {
  const response = await callProcedure(
    server.url,
    { api: 'identity', path: 'login', type: 'mutation' },
    { email, authKey },
    { cookie },
  );
  const setCookies = [response.headers['set-cookie'] ?? []].flat();
  const session = setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return { response, setCookie: session, token: session?.split(';')[0]?.split('=')[1] };
}

describe('A07 Identification and Authentication Failures', () => {
  it('session fixation: a session id chosen by an attacker is never adopted', async () => {
    const victim = await signUp(server.url, mailbox(server.dataDir));
    const planted = randomBytes(32).toString('base64url');
    const cookie = `${SESSION_COOKIE}=${planted}`;
    const { response, token } = await loginWith(
      victim.account.email,
      victim.account.authKey,
      cookie,
    );
    expect(response.status).toBe(200);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toBe(planted);
    expect(wireError(await me(cookie))?.data.reason).toBe('NOT_LOGGED_IN');
    expect((await me(`${SESSION_COOKIE}=${token}`)).status).toBe(200);
    // Only a hash of the token is stored: the database holds no usable session id.
    const stored = readStore(server, 'identity', (db) =>
      db.prepare('SELECT * FROM sessions').all(),
    );
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('the session cookie is HttpOnly, Secure, SameSite=Strict, host-only and scoped to the identity API', async () => {
    const user = await signUp(server.url, mailbox(server.dataDir));
    const { setCookie } = await loginWith(user.account.email, user.account.authKey);
    const attributes = (setCookie ?? '').split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/api/identity']),
    );
    expect(setCookie).toMatch(/^__Secure-/);
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    // A browser-session cookie: it does not outlive the browser.
    expect(attributes.some((a) => a.startsWith('max-age=') || a.startsWith('expires='))).toBe(
      false,
    );
  });

  it('each login gets a new random session; logout ends it on the server, not only in the browser', async () => {
    const user = await signUp(server.url, mailbox(server.dataDir));
    const first = await loginWith(user.account.email, user.account.authKey);
    const second = await loginWith(user.account.email, user.account.authKey);
    expect(first.token).not.toBe(second.token);
    const stolen = `${SESSION_COOKIE}=${first.token}`;
    const out = await callProcedure(
      server.url,
      { api: 'identity', path: 'logout', type: 'mutation' },
      undefined,
      { cookie: stolen },
    );
    expect(out.status).toBe(200);
    expect(wireError(await me(stolen))?.data.reason).toBe('NOT_LOGGED_IN');
    expect((await me(`${SESSION_COOKIE}=${second.token}`)).status).toBe(200);
  });

  it('a password change ends every other session', async () => {
    const user = await signUp(server.url, mailbox(server.dataDir));
    const other = await loginWith(user.account.email, user.account.authKey);
    await user.api.changePassword.mutate({
      currentAuthKey: user.account.authKey,
      kdf: fakeKdf(),
      authKey: randomKey(),
      wrappedUserKey: fakeEnvelope(`pwd:${user.account.userId}:2`),
    });
    expect(wireError(await me(`${SESSION_COOKIE}=${other.token}`))?.data.reason).toBe(
      'NOT_LOGGED_IN',
    );
    expect((await user.api.me.query()).user.email).toBe(user.account.email);
  });

  it('credential guessing locks the account; the answers never tell whether it exists', async () => {
    const user = await signUp(server.url, mailbox(server.dataDir));
    const ghost = fakeAccount().email;
    const answers: Record<string, string[]> = { real: [], ghost: [] };
    for (let i = 0; i < 6; i += 1) {
      for (const [who, email] of [
        ['real', user.account.email],
        ['ghost', ghost],
      ] as const) {
        const { response } = await loginWith(email, randomKey());
        const error = wireError(response);
        answers[who]!.push(`${response.status} ${error?.data.reason} ${error?.message}`);
      }
    }
    expect(answers['real']).toEqual(answers['ghost']);
    expect(answers['real']![0]).toMatch(/^401 LOGIN_FAILED/);
    expect(answers['real']![5]).toMatch(/^429 LOGIN_LOCKED/);
    // Locked means locked: the right key does not get in either, until the lock is over.
    const { response } = await loginWith(user.account.email, user.account.authKey);
    expect(wireError(response)?.data.reason).toBe('LOGIN_LOCKED');
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('weak key-derivation settings and short keys are refused at registration', async () => {
    const account = fakeAccount();
    const register = (input: object) =>
      callProcedure(
        server.url,
        { api: 'identity', path: 'register', type: 'mutation' },
        { ...account.registerInput, ...input },
      );
    for (const kdf of [
      { ...fakeKdf(), m: 1024 },
      { ...fakeKdf(), t: 1 },
      { ...fakeKdf(), alg: 'pbkdf2' },
    ]) {
      expect(wireError(await register({ kdf }))?.data.reason, JSON.stringify(kdf)).toBe(
        'INVALID_INPUT',
      );
    }
    const shortKey = await register({ authKey: randomBytes(8).toString('base64url') });
    expect(wireError(shortKey)?.data.reason).toBe('INVALID_INPUT');
    // Nothing was created by the refused attempts.
    const found = readStore(server, 'identity', (db) =>
      db.prepare('SELECT count(*) AS n FROM users WHERE email = ?').get(account.email),
    );
    expect(found).toEqual({ n: 0 });
  });

  it('the finance API refuses the session cookie outright (P5)', async () => {
    const user = await signUp(server.url, mailbox(server.dataDir));
    const response = await callProcedure(
      server.url,
      { api: 'finance', path: 'health', type: 'query' },
      undefined,
      { cookie: `${SESSION_COOKIE}=${user.jar.token}` },
    );
    expect(response.status).toBe(400);
    expect(response.text).toContain('COOKIE_REFUSED');
  });
});
