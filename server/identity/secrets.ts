import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { serverSecrets } from './schema';
import type { IdentityStore } from './store';

export const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
export const fromB64u = (text: string): Buffer => Buffer.from(text, 'base64url');

/** A random token (32 bytes, b64u) and the SHA-256 under which the server keeps it. */
export function newToken(): { token: string; hash: string } {
  const token = b64u(randomBytes(32));
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('base64url');

export const newId = (): string => randomUUID();

/**
 * Argon2id for the client's authKey and recovery auth key. Those are already 256-bit random
 * values, so the server hash only has to make a stolen database useless for replay; the
 * parameters follow OWASP's minimum (19 MiB, t=2) and are part of each PHC string, so they can
 * be raised later without a migration.
 */
const ARGON2_OPTIONS = {
  // `Algorithm.Argon2id` (a const enum, which isolated modules cannot read).
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * The hash input is the b64u text of the secret (same entropy). @node-rs/argon2 treats a
 * Buffer password as a string, which is lossy for arbitrary bytes, so bytes are never passed.
 */
export const hashSecret = (secretB64u: string): Promise<string> => hash(secretB64u, ARGON2_OPTIONS);

export async function verifySecret(phc: string, secretB64u: string): Promise<boolean> {
  try {
    return await verify(phc, secretB64u);
  } catch {
    return false;
  }
}

export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Reads a named server secret, creating 32 random bytes for it on first use. */
export function serverSecret(store: IdentityStore, name: string, now: number): Buffer {
  const row = store.db.select().from(serverSecrets).where(eq(serverSecrets.name, name)).get();
  if (row) return fromB64u(row.value);
  store.db
    .insert(serverSecrets)
    .values({ name, value: b64u(randomBytes(32)), createdAt: now })
    .onConflictDoNothing()
    .run();
  const created = store.db.select().from(serverSecrets).where(eq(serverSecrets.name, name)).get();
  if (!created) throw new Error(`server secret ${name} could not be created`);
  return fromB64u(created.value);
}

export const hmac = (key: Buffer, message: string): Buffer =>
  createHmac('sha256', key).update(message, 'utf8').digest();
