import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { IdentityRouter } from '../../server/identity/router';

export const SESSION_COOKIE = '__Secure-nyckel_session';

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * A tRPC client for the identity API with its own cookie jar, like one browser profile.
 * `setCookies` keeps every raw Set-Cookie header the server sent, for assertions.
 */
export function identityClient(baseUrl: string, options: { userAgent?: string } = {}) {
  const jar = { token: undefined as string | undefined, setCookies: [] as string[] };
  const fetchWithJar = async (url: URL | RequestInfo, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    if (jar.token) headers.set('cookie', `${SESSION_COOKIE}=${jar.token}`);
    if (options.userAgent) headers.set('user-agent', options.userAgent);
    const response = await fetch(url, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      jar.setCookies.push(cookie);
      const [pair] = cookie.split(';');
      const index = pair!.indexOf('=');
      if (pair!.slice(0, index) !== SESSION_COOKIE) continue;
      const value = pair!.slice(index + 1);
      jar.token = value === '' || /max-age=0/i.test(cookie) ? undefined : value;
    }
    return response;
  };
  const api = createTRPCClient<IdentityRouter>({
    links: [httpLink({ url: new URL('/api/identity', baseUrl).href, fetch: fetchWithJar })],
  });
  return { api, jar };
}

export type IdentityClient = ReturnType<typeof identityClient>;

export interface WireError {
  message: string;
  code: string;
  reason: string;
  messageSv: string;
  httpStatus: number;
  details?: Record<string, unknown>;
}

/** Awaits a call that must fail and returns its error as the client sees it. */
export async function failure(call: Promise<unknown>): Promise<WireError> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as {
      code: string;
      reason: string;
      messageSv: string;
      httpStatus: number;
      details?: Record<string, unknown>;
    };
    return {
      message: error.message,
      code: data.code,
      reason: data.reason,
      messageSv: data.messageSv,
      httpStatus: data.httpStatus,
      details: data.details,
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export async function expectFailure(
  call: Promise<unknown>,
  expected: { code?: string; reason?: string },
): Promise<WireError> {
  const error = await failure(call);
  expect(error).toMatchObject(expected);
  expect(error.message.length).toBeGreaterThan(0);
  expect(error.messageSv.length).toBeGreaterThan(0);
  return error;
}

/** Random bytes in the right envelope shapes: the server cannot tell them from real ones. */
export const fakeEnvelope = (kid: string, ctBytes = 48) => ({
  v: 1 as const,
  alg: 'A256GCM' as const,
  kid,
  iv: b64u(randomBytes(12)),
  ct: b64u(randomBytes(ctBytes)),
});

export const fakePublicKey = (): string => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return b64u(ecdh.getPublicKey());
};

export const fakeEcies = (kid = `pub:${b64u(randomBytes(10))}`) => ({
  v: 1 as const,
  alg: 'ECDH-ES+A256GCM' as const,
  kid,
  epk: fakePublicKey(),
  iv: b64u(randomBytes(12)),
  ct: b64u(randomBytes(48)),
});

export const fakeKdf = () => ({
  alg: 'argon2id' as const,
  m: 65_536,
  t: 3,
  p: 1,
  salt: b64u(randomBytes(16)),
});

export const randomKey = () => b64u(randomBytes(32));

/** Everything a client would send at registration, with the secrets kept for later calls. */
export function fakeAccount(email = `user-${randomUUID().slice(0, 8)}@example.se`) {
  const userId = randomUUID();
  const authKey = randomKey();
  const recoveryAuthKey = randomKey();
  const publicKey = fakePublicKey();
  const kdf = fakeKdf();
  return {
    userId,
    email,
    authKey,
    recoveryAuthKey,
    publicKey,
    kdf,
    registerInput: {
      userId,
      email,
      kdf,
      authKey,
      wrappedUserKey: fakeEnvelope(`pwd:${userId}:1`),
      recovery: { wrappedUserKey: fakeEnvelope(`rec:${userId}:1`), authKey: recoveryAuthKey },
      publicKey,
      wrappedPrivateKey: fakeEnvelope(`user:${userId}:1`, 160),
    },
  };
}

export type FakeAccount = ReturnType<typeof fakeAccount>;

interface Mail {
  file: string;
  to: string;
  kind: string;
  subject: string;
  body: string;
  token: string | undefined;
}

/** Decodes a quoted-printable body (nodemailer's choice for mostly-ASCII text). */
const decodeQuotedPrintable = (text: string) =>
  Buffer.from(
    text
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

export function parseEml(file: string): Mail {
  const raw = readFileSync(file, 'utf8');
  const split = raw.indexOf('\n\n');
  const head = raw.slice(0, split).replace(/\n[ \t]+/g, ' ');
  let body = raw.slice(split + 2);
  const header = (name: string) =>
    new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
  return {
    file,
    to: header('To'),
    kind: header('X-Nyckel-Mail'),
    subject: header('Subject'),
    body,
    token: /[?&]token=([A-Za-z0-9_-]{43})/.exec(body)?.[1],
  };
}

/** Reads the development outbox (`DATA_DIR/outbox/*.eml`), waiting for mails to arrive. */
export function mailbox(dataDir: string) {
  const seen = new Set<string>();
  const dir = join(dataDir, 'outbox');
  const all = () =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.eml'))
          .sort()
          .map((f) => parseEml(join(dir, f)))
      : [];
  return {
    all,
    /** Treats every mail already in the outbox as read. */
    markAllSeen: () => {
      for (const m of all()) seen.add(m.file);
    },
    /** The next not yet seen mail to `to` (of `kind`), polling up to 5 s. */
    next: async (to: string, kind?: string): Promise<Mail> => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const mail = all().find(
          (m) => !seen.has(m.file) && m.to.includes(to) && (!kind || m.kind === kind),
        );
        if (mail) {
          seen.add(mail.file);
          return mail;
        }
        if (Date.now() > deadline) throw new Error(`no ${kind ?? ''} mail to ${to} in the outbox`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

/** Moves the server's test clock (NYCKEL_TEST_CLOCK_FILE) forward. */
export function testClock(file: string) {
  let offset = 0;
  writeFileSync(file, '0');
  return {
    advance: (ms: number) => {
      offset += ms;
      writeFileSync(file, String(offset));
    },
  };
}

/** Registers, confirms the e-mail from the outbox and logs in; returns a logged-in client. */
export async function signUp(
  baseUrl: string,
  mail: ReturnType<typeof mailbox>,
  account: FakeAccount = fakeAccount(),
  options: { verify?: boolean } = {},
) {
  const client = identityClient(baseUrl);
  await client.api.register.mutate(account.registerInput);
  const verification = await mail.next(account.email, 'verify');
  if (options.verify !== false) {
    await client.api.verifyEmail.mutate({ token: verification.token! });
  }
  await client.api.login.mutate({ email: account.email, authKey: account.authKey });
  return { ...client, account };
}
