import { z } from 'zod';
import type { AccountUser, Membership, UnlockedSession } from '../core/account/account';
import {
  b64uDecode,
  b64uEncode,
  binding,
  cryptoError,
  envelopeSchema,
  kdfParamsSchema,
  kid,
  openEnvelope,
  sealEnvelope,
  unlockAccount,
  utf8Decode,
  utf8Encode,
  type AccountSecrets,
  type Purpose,
} from '../core/crypto/index';
import { eciesEnvelopeSchema } from '../core/crypto/envelope';
import { b64uBytesSchema, idSchema } from '../core/crypto/schemas';
import { compact, expand, openJson, sealJson, sealedBlobSchema } from './sealed';

/**
 * What this device keeps so that a user who has logged in here online can unlock and work
 * with the server unreachable (issue #8 "Offline", P9). Everything is ciphertext except the
 * record's random per-device `handle` and the KDF parameters (salt included), which are
 * needed to derive the keys before anything can be opened:
 *
 * - `unlock`: `{ userId, publicKey, wrappedUserKey, wrappedPrivateKey }` sealed with the
 *   password's wrapKey (purpose `local-unlock`). The user id is inside, so the record names
 *   no account; a wrong password fails to open it exactly as it fails to open the userKey
 *   envelope online (AES-GCM authentication, `DECRYPT_FAILED`), and nothing else is checked.
 * - `account`: the identity the server last returned (e-mail, memberships with their
 *   wrapped org keys) and the user's index key, sealed with the userKey in parts (purpose
 *   `local-account`).
 *
 * Cached answers (org links, benchmarks) are separate entries sealed with the userKey, each
 * stored under an opaque id: HMAC-SHA-256 of what it answers under the user's index key.
 */

/** Largest number of 2 KiB parts one record may hold (a bureau's links: ~600 per 2 000 clients). */
const MAX_PARTS = 4000;

export const offlineAccountRecordSchema = z.strictObject({
  handle: idSchema,
  kdf: kdfParamsSchema,
  unlock: sealedBlobSchema,
  account: z.array(sealedBlobSchema).min(1).max(MAX_PARTS),
});
export type OfflineAccountRecord = z.infer<typeof offlineAccountRecordSchema>;

const unlockContentSchema = z.strictObject({
  userId: idSchema,
  publicKey: z.string().max(200),
  wrappedUserKey: envelopeSchema,
  wrappedPrivateKey: envelopeSchema,
});

const iso = z.string().max(40);

/** Unknown fields a newer server may add are dropped, not refused. */
const userSchema = z.object({
  id: idSchema,
  email: z.string().max(254),
  role: z.enum(['user', 'support']),
  emailVerified: z.boolean(),
  keyGeneration: z.number().int(),
  createdAt: iso,
  lastLoginAt: iso.nullable(),
}) satisfies z.ZodType<AccountUser>;

const membershipSchema = z.object({
  orgId: idSchema,
  kind: z.enum(['company', 'bureau']),
  name: z.string().max(500),
  orgNumber: z.string().max(20),
  role: z.enum(['owner', 'admin', 'member']),
  status: z.enum(['active', 'pending', 'needs-regrant']),
  keyVersion: z.number().int().min(1),
  wrappedOrgKey: eciesEnvelopeSchema.nullable(),
}) satisfies z.ZodType<Membership>;

const INDEX_KEY_BYTES = 32;

/** The identity a device keeps for offline use (sealed with the userKey). */
export const deviceIdentitySchema = z.strictObject({
  user: userSchema,
  memberships: z.array(membershipSchema).max(10_000),
  /** b64u of 32 random bytes: the HMAC key that names this user's cached entries. */
  indexKey: b64uBytesSchema(INDEX_KEY_BYTES),
  /** When the server last confirmed this identity (ms since the epoch). */
  savedAt: z.number().int().nonnegative(),
});
export type DeviceIdentity = z.infer<typeof deviceIdentitySchema>;

export const newIndexKey = (): string =>
  b64uEncode(globalThis.crypto.getRandomValues(new Uint8Array(INDEX_KEY_BYTES)));

/** The kid of the `local-unlock` envelope: the wrapKey, named by the handle, not the user. */
const unlockKid = (handle: string) => kid.password(handle, 1);

const unlockContext = (handle: string) => ({
  purpose: 'local-unlock' as const,
  binding: binding.offlineUnlock(handle),
  kid: unlockKid(handle),
});

const accountParts = (handle: string, userId: string) => ({
  purpose: 'local-account' as const,
  kid: kid.user(userId),
  bindingOf: (part: number, parts: number) => binding.offlineAccount(handle, part, parts),
});

/** Seals what offline unlock needs for the unlocked `session` under the device `handle`. */
export async function sealOfflineAccount(input: {
  handle: string;
  session: UnlockedSession;
  identity: DeviceIdentity;
}): Promise<OfflineAccountRecord> {
  const { handle, session, identity } = input;
  const userId = session.user.id;
  if (identity.user.id !== userId) throw cryptoError('INVALID_INPUT', 'identity of another user');
  const content = unlockContentSchema.parse({
    userId,
    publicKey: session.keys.publicKey,
    wrappedUserKey: session.wrappedUserKey,
    wrappedPrivateKey: session.wrappedPrivateKey,
  });
  const unlock = await sealEnvelope(
    session.wrapKey,
    utf8Encode(JSON.stringify(content)),
    unlockContext(handle),
  );
  return {
    handle,
    kdf: session.kdf,
    unlock: compact(unlock),
    account: await sealJson(session.keys.userKey, identity, accountParts(handle, userId)),
  };
}

/**
 * Unlocks a device record with the secrets derived from a password and the record's own KDF
 * parameters: the same keys, envelopes and checks as an online unlock (the private key must
 * match the public key), then the cached identity. Throws `DECRYPT_FAILED` for a wrong
 * password.
 */
export async function unlockOfflineAccount(
  record: OfflineAccountRecord,
  secrets: AccountSecrets,
): Promise<{ session: UnlockedSession; identity: DeviceIdentity }> {
  const context = unlockContext(record.handle);
  const bytes = await openEnvelope(secrets.wrapKey, expand(record.unlock, context.kid), context);
  const content = unlockContentSchema.parse(JSON.parse(utf8Decode(bytes)));
  const keys = await unlockAccount({ ...content, wrapKey: secrets.wrapKey });
  const identity = await openJson(
    keys.userKey,
    record.account,
    accountParts(record.handle, content.userId),
    deviceIdentitySchema,
  );
  if (identity.user.id !== content.userId) {
    throw cryptoError('DECRYPT_FAILED', 'the cached identity belongs to another user');
  }
  return {
    session: {
      user: identity.user,
      keys,
      wrappedUserKey: content.wrappedUserKey,
      wrappedPrivateKey: content.wrappedPrivateKey,
      kdf: record.kdf,
      wrapKey: secrets.wrapKey,
    },
    identity,
  };
}

/**
 * The identity in `record` when it is this user's (it opens with their userKey and names
 * them), else null: how an online login finds its earlier record without a readable index.
 */
export async function openOwnAccount(
  record: OfflineAccountRecord,
  userId: string,
  userKey: CryptoKey,
): Promise<DeviceIdentity | null> {
  try {
    const identity = await openJson(
      userKey,
      record.account,
      accountParts(record.handle, userId),
      deviceIdentitySchema,
    );
    return identity.user.id === userId ? identity : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Cached answers

export type EntryKind = 'org-links' | 'benchmark';

const ENTRY_PURPOSE = {
  'org-links': 'local-org-links',
  benchmark: 'local-benchmark',
} as const satisfies Record<EntryKind, Purpose>;

const ENTRY_ID = /^[0-9a-f]{64}$/;

export const offlineEntryRecordSchema = z.strictObject({
  id: z.string().regex(ENTRY_ID),
  handle: idSchema,
  parts: z.array(sealedBlobSchema).min(1).max(MAX_PARTS),
});
export type OfflineEntryRecord = z.infer<typeof offlineEntryRecordSchema>;

/** The unlocked user's device cache: whose it is and the keys that seal and name entries. */
export interface DeviceCache {
  handle: string;
  userId: string;
  userKey: CryptoKey;
  /** b64u index key from the sealed identity. */
  indexKey: string;
}

/**
 * The opaque id of the entry that answers `key` (e.g. an org id, or entity/year/level):
 * HMAC-SHA-256 under the user's index key, as 64 hex digits. Without the index key the id
 * says nothing, and the same question of two users gets unrelated ids.
 */
export async function entryId(indexKey: string, kind: EntryKind, key: string): Promise<string> {
  const hmacKey = await globalThis.crypto.subtle.importKey(
    'raw',
    b64uDecode(indexKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await globalThis.crypto.subtle.sign(
    'HMAC',
    hmacKey,
    utf8Encode(`nyckel:offline-entry:v1|${kind}|${key}`),
  );
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const entryParts = (cache: DeviceCache, kind: EntryKind, id: string) => ({
  purpose: ENTRY_PURPOSE[kind],
  kid: kid.user(cache.userId),
  bindingOf: (part: number, parts: number) => binding.offlineEntry(cache.handle, id, part, parts),
});

const entryContentSchema = <T>(value: z.ZodType<T>) =>
  z.strictObject({ key: z.string(), savedAt: z.number().int().nonnegative(), value });

/** Seals `value` as the answer to `key`; returns the record to store. */
export async function sealEntry(
  cache: DeviceCache,
  kind: EntryKind,
  key: string,
  value: unknown,
  savedAt: number = Date.now(),
): Promise<OfflineEntryRecord> {
  const id = await entryId(cache.indexKey, kind, key);
  const parts = await sealJson(cache.userKey, { key, savedAt, value }, entryParts(cache, kind, id));
  return { id, handle: cache.handle, parts };
}

/**
 * Opens the entry answering `key` (validated with `schema`). Another user's entry, another
 * kind or key, or changed ciphertext fails (`DECRYPT_FAILED` or a schema error).
 */
export async function openEntry<T>(
  cache: DeviceCache,
  kind: EntryKind,
  key: string,
  record: OfflineEntryRecord,
  schema: z.ZodType<T>,
): Promise<{ value: T; savedAt: number }> {
  const id = await entryId(cache.indexKey, kind, key);
  if (record.id !== id || record.handle !== cache.handle) {
    throw cryptoError('DECRYPT_FAILED', 'entry of another question or user');
  }
  const content = await openJson(
    cache.userKey,
    record.parts,
    entryParts(cache, kind, id),
    entryContentSchema(schema),
  );
  if (content.key !== key) throw cryptoError('DECRYPT_FAILED', 'entry of another question');
  return { value: content.value, savedAt: content.savedAt };
}
