/**
 * Organisation keys and what they encrypt: orgKey (random, per org and version) is wrapped to
 * each member's public key (ECIES); it encrypts the org → finance-entity links and the
 * bureau's client labels.
 */
import { z } from 'zod';
import { randomBytes, withSecret, withSecretSync, zeroize, type Bytes } from './bytes.ts';
import { b64uEncode, utf8Decode, utf8Encode } from './encoding.ts';
import { eciesOpen, eciesSeal } from './ecies.ts';
import {
  AES_KEY_BYTES,
  importAesKey,
  openEnvelope,
  sealEnvelope,
  type EciesEnvelope,
  type SymmetricEnvelope,
} from './envelope.ts';
import { cryptoError } from './errors.ts';
import { binding, kid } from './ids.ts';
import { b64uBytesSchema, idSchema } from './schemas.ts';

// ---------------------------------------------------------------------------------------------
// orgKey wrapping (purpose `org-key/member`, binding `orgId/userId/keyVersion`)

const wrapRawForMember = async (
  raw: Bytes,
  orgId: string,
  keyVersion: number,
  userId: string,
  memberPublicKey: string,
): Promise<EciesEnvelope> =>
  eciesSeal(memberPublicKey, raw, {
    purpose: 'org-key/member',
    binding: binding.member(orgId, userId, keyVersion),
  });

const unwrapRaw = async ({
  envelope,
  orgId,
  userId,
  keyVersion,
  privateKey,
  publicKey,
}: UnwrapOrgKeyInput): Promise<Bytes> => {
  const raw = await eciesOpen(privateKey, publicKey, envelope, {
    purpose: 'org-key/member',
    binding: binding.member(orgId, userId, keyVersion),
  });
  if (raw.length !== AES_KEY_BYTES) {
    zeroize(raw);
    throw cryptoError('DECRYPT_FAILED', 'unexpected orgKey length');
  }
  return raw;
};

export interface OrgMember {
  userId: string;
  /** b64u raw P-256 public key of the member. */
  publicKey: string;
}

export interface NewOrgKey {
  /** Non-extractable AES-256-GCM orgKey. */
  orgKey: CryptoKey;
  /** The orgKey wrapped to each member, in the order given. */
  wrapped: { userId: string; envelope: EciesEnvelope }[];
}

/**
 * Generates an orgKey for `orgId` version `keyVersion` (1 at `org.create`, +1 on every
 * rotation) and wraps it to every member at once, so the raw key never leaves this call.
 */
export const newOrgKey = async ({
  orgId,
  keyVersion,
  members,
}: {
  orgId: string;
  keyVersion: number;
  members: readonly OrgMember[];
}): Promise<NewOrgKey> => {
  if (members.length === 0) throw cryptoError('INVALID_INPUT', 'an org key needs a member');
  if (new Set(members.map((m) => m.userId)).size !== members.length) {
    throw cryptoError('INVALID_INPUT', 'duplicate member');
  }
  return withSecret(randomBytes(AES_KEY_BYTES), async (raw) => ({
    wrapped: await Promise.all(
      members.map(async ({ userId, publicKey }) => ({
        userId,
        envelope: await wrapRawForMember(raw, orgId, keyVersion, userId, publicKey),
      })),
    ),
    orgKey: await importAesKey(raw),
  }));
};

export interface UnwrapOrgKeyInput {
  /** The member's `wrappedOrgKey` (ECDH-ES+A256GCM envelope). */
  envelope: unknown;
  orgId: string;
  /** The member the envelope was wrapped for (the caller). */
  userId: string;
  keyVersion: number;
  privateKey: CryptoKey;
  /** The caller's own b64u public key (HKDF salt and kid check). */
  publicKey: string;
}

/** Unwraps a member's orgKey as a non-extractable AES-256-GCM key. */
export const unwrapOrgKey = async (input: UnwrapOrgKeyInput): Promise<CryptoKey> =>
  withSecret(await unwrapRaw(input), importAesKey);

/**
 * An admin grants the current orgKey to another member (`org.confirmMember`, re-grant):
 * the admin's own envelope is opened inside this call and the raw key re-wrapped to
 * `memberPublicKey`. Compare the member's fingerprint out of band before calling.
 */
export const wrapOrgKeyForMember = async ({
  admin,
  orgId,
  keyVersion,
  userId,
  memberPublicKey,
}: {
  /** The granting admin: own envelope, id and key pair. */
  admin: { userId: string; envelope: unknown; privateKey: CryptoKey; publicKey: string };
  orgId: string;
  keyVersion: number;
  /** The member receiving the key. */
  userId: string;
  memberPublicKey: string;
}): Promise<EciesEnvelope> =>
  withSecret(await unwrapRaw({ ...admin, orgId, keyVersion }), (raw) =>
    wrapRawForMember(raw, orgId, keyVersion, userId, memberPublicKey),
  );

// ---------------------------------------------------------------------------------------------
// Links and client labels (binding `orgId/linkId/keyVersion`, kid `org:<orgId>:<keyVersion>`)

export const FINANCE_SECRET_BYTES = 32;
export const MAX_LABEL_CHARS = 256;

/** Plaintext of an `org-link` envelope. */
export const orgLinkSchema = z.strictObject({
  financeEntityId: idSchema,
  /** b64u of the 256-bit finance capability. */
  capability: b64uBytesSchema(FINANCE_SECRET_BYTES),
  /** b64u of the 256-bit entity key (encrypts contract notes etc. on the finance side). */
  entityKey: b64uBytesSchema(FINANCE_SECRET_BYTES),
});
export type OrgLink = z.infer<typeof orgLinkSchema>;

/** A fresh capability and entityKey for a new finance entity. */
export const newLinkSecrets = (): Pick<OrgLink, 'capability' | 'entityKey'> => {
  const fresh = () =>
    withSecretSync(randomBytes(FINANCE_SECRET_BYTES), (bytes) => b64uEncode(bytes));
  return { capability: fresh(), entityKey: fresh() };
};

interface OrgRow {
  orgKey: CryptoKey;
  orgId: string;
  linkId: string;
  keyVersion: number;
}

const linkContext = (
  purpose: 'org-link' | 'client-label',
  { orgId, linkId, keyVersion }: Omit<OrgRow, 'orgKey'>,
) => ({
  purpose,
  binding: binding.link(orgId, linkId, keyVersion),
  kid: kid.org(orgId, keyVersion),
});

/** Encrypts `{ financeEntityId, capability, entityKey }` (JSON, that key order) under orgKey. */
export const sealLink = async ({
  link,
  ...row
}: OrgRow & { link: OrgLink }): Promise<SymmetricEnvelope> => {
  const { financeEntityId, capability, entityKey } = orgLinkSchema.parse(link);
  const plaintext = utf8Encode(JSON.stringify({ financeEntityId, capability, entityKey }));
  return withSecret(plaintext, (bytes) =>
    sealEnvelope(row.orgKey, bytes, linkContext('org-link', row)),
  );
};

/** Decrypts and validates a link (`DECRYPT_FAILED` also for a malformed plaintext). */
export const openLink = async ({
  envelope,
  ...row
}: OrgRow & { envelope: unknown }): Promise<OrgLink> => {
  const plaintext = await openEnvelope(row.orgKey, envelope, linkContext('org-link', row));
  const parsed = withSecretSync(plaintext, (bytes) => {
    try {
      return orgLinkSchema.safeParse(JSON.parse(utf8Decode(bytes)));
    } catch {
      return null;
    }
  });
  if (!parsed?.success) throw cryptoError('DECRYPT_FAILED', 'malformed link');
  return parsed.data;
};

const checkLabel = (label: string): string => {
  if (label.length === 0 || label.length > MAX_LABEL_CHARS || !label.isWellFormed()) {
    throw cryptoError('INVALID_INPUT', `label must be 1..${MAX_LABEL_CHARS} UTF-16 code units`);
  }
  return label;
};

/** Encrypts a bureau's label for a client (its own customer number or name). */
export const sealClientLabel = async ({
  label,
  ...row
}: OrgRow & { label: string }): Promise<SymmetricEnvelope> =>
  sealEnvelope(row.orgKey, utf8Encode(checkLabel(label)), linkContext('client-label', row));

export const openClientLabel = async ({
  envelope,
  ...row
}: OrgRow & { envelope: unknown }): Promise<string> =>
  utf8Decode(await openEnvelope(row.orgKey, envelope, linkContext('client-label', row)));
