import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityClient } from '../../src/lib/core/api/clients';
import { errorReason, userMessage } from '../../src/lib/errors';
import { fakeAccount } from '../helpers/identity-http';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * What the app tells a person when the server refuses a call outside any procedure (the API
 * deadline, answered by the HTTP layer) or because of a rate limit: the server's own
 * sentence in Swedish or English, never "Unable to transform response from server".
 */
let slow: TestServer;
let limited: TestServer;

beforeAll(async () => {
  [slow, limited] = await Promise.all([
    // A registration hashes two keys with Argon2id: far longer than 10 ms.
    startTestServer({ env: { NYCKEL_API_DEADLINE_MS: '10' } }),
    startTestServer({ env: { NYCKEL_RATE_LIMITS: 'prelogin_account=2/120' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([slow?.dispose(), limited?.dispose()]);
});

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (error: unknown) => error,
  );

describe('refusals the app shows to people', () => {
  it('the API deadline: the server’s sentence in both languages and its reason', async () => {
    const api = createIdentityClient({ baseUrl: slow.url });
    const error = await failureOf(api.register.mutate(fakeAccount().registerInput));
    expect(errorReason(error)).toBe('DEADLINE_EXCEEDED');
    expect(userMessage(error, 'sv', 'fallback')).toBe(
      'Servern tog för lång tid på sig att svara. Försök igen om en stund.',
    );
    expect(userMessage(error, 'en', 'fallback')).toBe(
      'The server took too long to answer. Try again in a moment.',
    );
  });

  it('a rate limit: the server’s sentence with when to try again', async () => {
    const api = createIdentityClient({ baseUrl: limited.url });
    const email = fakeAccount().email;
    await api.preLogin.query({ email });
    await api.preLogin.query({ email });
    const error = await failureOf(api.preLogin.query({ email }));
    expect(errorReason(error)).toBe('RATE_LIMITED');
    expect(userMessage(error, 'sv', 'fallback')).toMatch(
      /^För många försök härifrån\. .* \(försök igen om 2 min\)$/,
    );
    expect(userMessage(error, 'en', 'fallback')).toMatch(
      /^Too many attempts from here\. .* \(try again in 2 min\)$/,
    );
  });

  it('a network failure leaves the wording to the caller', async () => {
    const api = createIdentityClient({ baseUrl: 'http://127.0.0.1:9' });
    const error = await failureOf(api.preLogin.query({ email: 'anna@example.se' }));
    expect(userMessage(error, 'sv', 'fallback')).toBeNull();
    expect(errorReason(error)).toBeUndefined();
  });
});
