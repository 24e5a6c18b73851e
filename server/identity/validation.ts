import { ECDH } from 'node:crypto';
import { z } from 'zod';
import { luhnValid, normaliseOrgNumber } from '../../domain/org-number';

/**
 * Wire schemas of the identity API (docs/PROTOCOL.md). The server treats keys and envelopes as
 * opaque, but checks their shape and size so nothing malformed or oversized is stored.
 */

export const MAX_ENVELOPE_CHARS = 4096;

const B64U = /^[A-Za-z0-9_-]*$/;

/** Decoded length of canonical unpadded base64url, or -1 when the text is not that. */
export function b64uLength(text: string): number {
  if (!B64U.test(text) || text.length % 4 === 1) return -1;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes.length : -1;
}

/** b64u of exactly `n` bytes. */
export const b64uBytes = (n: number) =>
  z
    .string()
    .max(Math.ceil((n * 4) / 3))
    .refine((v) => b64uLength(v) === n, `must be base64url (no padding) of ${n} bytes`);

/** b64u of `min`..`max` bytes. */
const b64uRange = (min: number, max: number) =>
  z
    .string()
    .max(Math.ceil((max * 4) / 3))
    .refine((v) => {
      const n = b64uLength(v);
      return n >= min && n <= max;
    }, `must be base64url (no padding) of ${min}–${max} bytes`);

/** A P-256 public key as the raw uncompressed point (65 bytes, on the curve). */
export const publicKeySchema = b64uBytes(65).refine((v) => {
  try {
    ECDH.convertKey(
      Buffer.from(v, 'base64url'),
      'prime256v1',
      undefined,
      undefined,
      'uncompressed',
    );
    return true;
  } catch {
    return false;
  }
}, 'must be an uncompressed P-256 point');

export const uuidSchema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i,
    'must be a UUID v4',
  )
  .transform((v) => v.toLowerCase());

/** Trimmed, lower-cased, at most 254 characters. */
export const emailSchema = z
  .string()
  .max(400)
  .transform((v) => v.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(3)
      .max(254)
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address'),
  );

export const tokenSchema = b64uBytes(32);
export const authKeySchema = b64uBytes(32);

const kidSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII');

const fitsEnvelope = (value: unknown) => JSON.stringify(value).length <= MAX_ENVELOPE_CHARS;

/** AES-256-GCM envelope (userKey, private key, links, labels). */
export const envelopeSchema = z
  .strictObject({
    v: z.literal(1),
    alg: z.literal('A256GCM'),
    kid: kidSchema,
    iv: b64uBytes(12),
    ct: b64uRange(16, 3000),
  })
  .refine(fitsEnvelope, `envelope larger than ${MAX_ENVELOPE_CHARS} characters`);

/** ECIES envelope (an org key wrapped to a member's public key). */
export const eciesEnvelopeSchema = z
  .strictObject({
    v: z.literal(1),
    alg: z.literal('ECDH-ES+A256GCM'),
    kid: kidSchema,
    epk: publicKeySchema,
    iv: b64uBytes(12),
    ct: b64uRange(16, 1024),
  })
  .refine(fitsEnvelope, `envelope larger than ${MAX_ENVELOPE_CHARS} characters`);

export type Envelope = z.infer<typeof envelopeSchema>;
export type EciesEnvelope = z.infer<typeof eciesEnvelopeSchema>;

/** Default and minimum client KDF parameters (PROTOCOL.md); clients may only raise them. */
export const DEFAULT_KDF = { alg: 'argon2id', m: 65_536, t: 3, p: 1 } as const;

export const kdfSchema = z.strictObject({
  alg: z.literal('argon2id'),
  m: z
    .number()
    .int()
    .min(DEFAULT_KDF.m)
    .max(4 * 1024 * 1024),
  t: z.number().int().min(DEFAULT_KDF.t).max(64),
  p: z.number().int().min(DEFAULT_KDF.p).max(16),
  salt: b64uBytes(16),
});
export type Kdf = z.infer<typeof kdfSchema>;

export const recoverySchema = z.strictObject({
  wrappedUserKey: envelopeSchema,
  authKey: authKeySchema,
});

export { luhnValid, normaliseOrgNumber };

export const orgNumberSchema = z
  .string()
  .max(32)
  .transform((v, ctx) => {
    const normalised = normaliseOrgNumber(v);
    if (!normalised) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a Swedish organisation number, e.g. 556677-8899',
      });
      return z.NEVER;
    }
    return normalised;
  });

const line = (max: number) =>
  z
    .string()
    .max(max)
    .transform((v) => v.trim())
    .refine(
      (v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
      'must not contain control characters',
    );

export const addressSchema = z.strictObject({
  street: line(200).optional(),
  postalCode: line(20).optional(),
  city: line(100).optional(),
});

export const orgNameSchema = line(200).pipe(z.string().min(1, 'must not be empty'));
