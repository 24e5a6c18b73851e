import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock';
import { PhantomLockouts } from './lockout';
import type { Mailer } from './mail';
import { b64u, hashSecret, serverSecret } from './secrets';
import type { IdentityStore } from './store';

/** Long-lived parts of the identity API, built once at start. */
export interface IdentityDeps {
  store: IdentityStore;
  clock: Clock;
  mailer: Mailer;
  log: Logger;
  /** Origin for links in mails, e.g. `https://nyckel.se`. */
  publicOrigin: () => string;
  /** HMAC key for pre-login fake salts (server_secrets, generated at first start). */
  fakeSaltKey: Buffer;
  /** An Argon2id hash of nothing in particular, verified against to equalise timing. */
  dummyHash: string;
  phantomLockouts: PhantomLockouts;
}

export interface IdentityContext {
  store: IdentityStore;
  deps: IdentityDeps;
  req?: IncomingMessage;
  res?: ServerResponse;
}

export interface IdentityRuntimeOptions {
  store: IdentityStore;
  mailer: Mailer;
  log: Logger;
  publicOrigin: () => string;
  clock?: Clock;
}

export const FAKE_SALT_SECRET = 'prelogin-fake-salt';

export async function createIdentityDeps(options: IdentityRuntimeOptions): Promise<IdentityDeps> {
  const clock = options.clock ?? systemClock;
  return {
    store: options.store,
    clock,
    mailer: options.mailer,
    log: options.log,
    publicOrigin: options.publicOrigin,
    fakeSaltKey: serverSecret(options.store, FAKE_SALT_SECRET, clock.now()),
    dummyHash: await hashSecret(b64u(randomBytes(32))),
    phantomLockouts: new PhantomLockouts(),
  };
}

/** The tRPC context factory: the identity API (and only it) sees the request and response. */
export const identityContextFactory =
  (deps: IdentityDeps) =>
  ({ req, res }: { req?: IncomingMessage; res?: ServerResponse }): IdentityContext => ({
    store: deps.store,
    deps,
    req,
    res,
  });
