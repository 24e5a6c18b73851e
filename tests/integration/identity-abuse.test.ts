import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAccount, identityClient, mailbox, randomKey, signUp } from '../helpers/identity-http';
import { startTestServer, type TestServer } from '../helpers/server';

/** Attempts to multiply guesses per request or to race the lockout. */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

const batchLogin = (email: string, count: number) => {
  const paths = Array.from({ length: count }, () => 'login').join(',');
  const body = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [i, { email, authKey: randomKey() }]),
  );
  return fetch(new URL(`/api/identity/${paths}?batch=1`, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
};

describe('identity abuse resistance', () => {
  it('refuses batches of more than 10 calls (each login costs an Argon2id)', async () => {
    const response = await batchLogin('someone@example.se', 50);
    expect(response.status).toBe(400);
  });

  it('a burst of parallel wrong logins cannot outrun the lockout', async () => {
    const account = fakeAccount();
    await signUp(server.url, mailbox(server.dataDir), account);
    const response = await batchLogin(account.email, 10);
    const results = (await response.json()) as { error?: { data?: { reason?: string } } }[];
    const reasons = results.map((r) => r.error?.data?.reason);
    // Attempts are checked one at a time: from the 5th failure on, the rest are locked out.
    expect(reasons.filter((r) => r === 'LOGIN_FAILED').length).toBe(5);
    expect(reasons.filter((r) => r === 'LOGIN_LOCKED').length).toBe(5);
    const after = await identityClient(server.url)
      .api.login.mutate({ email: account.email, authKey: account.authKey })
      .catch((error: unknown) => error);
    expect(JSON.stringify(after)).toContain('LOGIN_LOCKED');
  });
});
