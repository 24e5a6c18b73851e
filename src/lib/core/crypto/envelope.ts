/**
 * The versioned envelope that carries every ciphertext of protocol v1, and AES-256-GCM
 * sealing/opening with associated data `nyckel:v1|<purpose>|<binding>|<kid>`.
 */
import { z } from 'zod';
import { randomBytes, type Bytes } from './bytes.ts';
import { b64uDecode, b64uEncode, utf8Encode } from './encoding.ts';
import { cryptoError } from './errors.ts';
import { b64uBytesSchema } from './schemas.ts';

export const ENVELOPE_VERSION = 1;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
/** Upper bound of a serialised envelope (JSON, UTF-8), as accepted by the identity API. */
export const MAX_ENVELOPE_BYTES = 4096;
/** Largest plaintext `sealEnvelope` accepts; keeps every envelope under MAX_ENVELOPE_BYTES. */
export const MAX_PLAINTEXT_BYTES = 2048;
export const P256_POINT_BYTES = 65;

/** What a ciphertext is for; part of the AAD. */
export const PURPOSES = [
  'user-key/password',
  'user-key/recovery',
  'user-private-key',
  'org-key/member',
  'org-link',
  'client-label',
  'local-draft',
  'local-client-map',
  'local-unlock',
  'local-account',
  'local-org-links',
  'local-benchmark',
  'contract-private',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** `<kind>:<id>:<n>` or `pub:XXXX-XXXX-XXXX-XXXX`; never contains `|`. */
const KID_PATTERN =
  /^(?:(?:user|pwd|rec|org|ent):[A-Za-z0-9_-]{1,64}:[1-9][0-9]{0,9}|pub:[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})$/;
export const kidSchema = z.string().max(100).regex(KID_PATTERN, 'invalid kid');

const ciphertextSchema = b64uBytesSchema(TAG_BYTES, MAX_PLAINTEXT_BYTES + TAG_BYTES);

export const symmetricEnvelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  alg: z.literal('A256GCM'),
  kid: kidSchema,
  iv: b64uBytesSchema(IV_BYTES),
  ct: ciphertextSchema,
});

export const eciesEnvelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  alg: z.literal('ECDH-ES+A256GCM'),
  kid: kidSchema,
  epk: b64uBytesSchema(P256_POINT_BYTES),
  iv: b64uBytesSchema(IV_BYTES),
  ct: ciphertextSchema,
});

/** zod schema of every envelope (server and client validate with the same one). */
export const envelopeSchema = z
  .discriminatedUnion('alg', [symmetricEnvelopeSchema, eciesEnvelopeSchema])
  .refine((e) => utf8Encode(JSON.stringify(e)).length <= MAX_ENVELOPE_BYTES, 'envelope too large');

export type SymmetricEnvelope = z.infer<typeof symmetricEnvelopeSchema>;
export type EciesEnvelope = z.infer<typeof eciesEnvelopeSchema>;
export type Envelope = SymmetricEnvelope | EciesEnvelope;

/** Validates an untrusted envelope; throws `INVALID_ENVELOPE`. */
export const parseEnvelope = (value: unknown): Envelope => {
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) throw cryptoError('INVALID_ENVELOPE', 'invalid envelope');
  return parsed.data;
};

export interface AadContext {
  purpose: Purpose;
  /** Row binding, e.g. `userId` or `orgId/linkId/keyVersion`. */
  binding: string;
  kid: string;
}

/** The key id an opener accepts: exactly this kid, or any kid the predicate approves. */
export type KidExpectation = string | ((kid: string) => boolean);

export interface OpenContext {
  purpose: Purpose;
  binding: string;
  kid: KidExpectation;
}

const BINDING_PATTERN = /^[A-Za-z0-9_/-]{1,200}$/;

/** UTF-8 of `nyckel:v1|<purpose>|<binding>|<kid>`. */
export const aad = ({ purpose, binding, kid }: AadContext): Bytes => {
  if (!(PURPOSES as readonly string[]).includes(purpose)) {
    throw cryptoError('INVALID_INPUT', 'unknown purpose');
  }
  if (!BINDING_PATTERN.test(binding)) throw cryptoError('INVALID_INPUT', 'invalid binding');
  if (!KID_PATTERN.test(kid)) throw cryptoError('INVALID_INPUT', 'invalid kid');
  return utf8Encode(`nyckel:v${ENVELOPE_VERSION}|${purpose}|${binding}|${kid}`);
};

export const checkKid = (actual: string, expected: KidExpectation): void => {
  const ok = typeof expected === 'string' ? actual === expected : expected(actual);
  if (!ok) throw cryptoError('KID_MISMATCH', 'envelope was sealed under another key');
};

/** AES-256-GCM with a random 96-bit IV; returns `{ iv, ct }` (ct includes the tag). */
export const aesGcmEncrypt = async (
  key: CryptoKey,
  plaintext: Bytes,
  additionalData: Bytes,
): Promise<{ iv: string; ct: string }> => {
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw cryptoError('INVALID_INPUT', 'plaintext too large');
  }
  const iv = randomBytes(IV_BYTES);
  const ct = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData, tagLength: TAG_BYTES * 8 },
    key,
    plaintext,
  );
  return { iv: b64uEncode(iv), ct: b64uEncode(new Uint8Array(ct)) };
};

/** Inverse of `aesGcmEncrypt`; any authentication failure becomes `DECRYPT_FAILED`. */
export const aesGcmDecrypt = async (
  key: CryptoKey,
  { iv, ct }: { iv: string; ct: string },
  additionalData: Bytes,
): Promise<Bytes> => {
  try {
    const pt = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: b64uDecode(iv), additionalData, tagLength: TAG_BYTES * 8 },
      key,
      b64uDecode(ct),
    );
    return new Uint8Array(pt);
  } catch {
    throw cryptoError('DECRYPT_FAILED', 'decryption failed');
  }
};

/** Encrypts `plaintext` under an AES-256-GCM key into an `A256GCM` envelope. */
export const sealEnvelope = async (
  key: CryptoKey,
  plaintext: Bytes,
  context: AadContext,
): Promise<SymmetricEnvelope> => {
  const { iv, ct } = await aesGcmEncrypt(key, plaintext, aad(context));
  return { v: ENVELOPE_VERSION, alg: 'A256GCM', kid: context.kid, iv, ct };
};

/**
 * Validates `envelope`, checks its kid against `context.kid`, and decrypts it with the AAD
 * built from `context.purpose`, `context.binding` and the envelope's (authenticated) kid.
 * Throws `INVALID_ENVELOPE`, `KID_MISMATCH` or `DECRYPT_FAILED`.
 */
export const openEnvelope = async (
  key: CryptoKey,
  envelope: unknown,
  context: OpenContext,
): Promise<Bytes> => {
  const parsed = parseEnvelope(envelope);
  if (parsed.alg !== 'A256GCM') throw cryptoError('INVALID_ENVELOPE', 'expected A256GCM');
  checkKid(parsed.kid, context.kid);
  return aesGcmDecrypt(key, parsed, aad({ ...context, kid: parsed.kid }));
};

export const AES_KEY_BYTES = 32;

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key (encrypt/decrypt). */
export const importAesKey = async (raw: Bytes): Promise<CryptoKey> => {
  if (raw.length !== AES_KEY_BYTES) throw cryptoError('INVALID_INPUT', 'AES key must be 32 bytes');
  return globalThis.crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [
    'encrypt',
    'decrypt',
  ]);
};
