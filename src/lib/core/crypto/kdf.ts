/**
 * Password → masterKey with Argon2id (hash-wasm, pure WebAssembly, so it runs unchanged in the
 * browser worker and in Node). Parameters travel as `KdfParams` and are validated against
 * sane bounds so a hostile server cannot make the client derive with toy or absurd costs.
 */
import { argon2id } from 'hash-wasm';
import { z } from 'zod';
import { copyBytes, randomBytes, zeroize, type Bytes } from './bytes.ts';
import { b64uDecode, b64uEncode, utf8Encode } from './encoding.ts';
import { cryptoError } from './errors.ts';
import { b64uBytesSchema } from './schemas.ts';

export const KDF_SALT_BYTES = 16;
export const MASTER_KEY_BYTES = 32;

/** Inclusive bounds; `m` is in KiB (8 MiB … 1 GiB). */
export const KDF_BOUNDS = {
  m: { min: 8192, max: 1_048_576 },
  t: { min: 1, max: 10 },
  p: { min: 1, max: 4 },
} as const;

const bounded = ({ min, max }: { min: number; max: number }) => z.number().int().min(min).max(max);

export const kdfParamsSchema = z.strictObject({
  alg: z.literal('argon2id'),
  m: bounded(KDF_BOUNDS.m),
  t: bounded(KDF_BOUNDS.t),
  p: bounded(KDF_BOUNDS.p),
  salt: b64uBytesSchema(KDF_SALT_BYTES),
});

/** `{ alg: 'argon2id', m (KiB), t, p, salt: b64u(16 bytes) }`, stored per user. */
export type KdfParams = z.infer<typeof kdfParamsSchema>;
export type KdfCost = Omit<KdfParams, 'salt'>;

/** Protocol v1 defaults: 64 MiB, 3 passes, 1 lane. */
export const DEFAULT_KDF = {
  alg: 'argon2id',
  m: 65_536,
  t: 3,
  p: 1,
} as const satisfies KdfCost;

/**
 * Fresh parameters for a registration or password change: a new random salt and, per field,
 * the larger of the defaults and `current` (a client only ever raises the cost).
 */
export const newKdfParams = (current?: KdfCost): KdfParams =>
  kdfParamsSchema.parse({
    alg: 'argon2id',
    m: Math.max(DEFAULT_KDF.m, current?.m ?? 0),
    t: Math.max(DEFAULT_KDF.t, current?.t ?? 0),
    p: Math.max(DEFAULT_KDF.p, current?.p ?? 0),
    salt: b64uEncode(randomBytes(KDF_SALT_BYTES)),
  });

/** Validates untrusted parameters (e.g. from `preLogin`); throws `INVALID_INPUT`. */
export const parseKdfParams = (kdf: unknown): KdfParams => {
  const parsed = kdfParamsSchema.safeParse(kdf);
  if (!parsed.success) throw cryptoError('INVALID_INPUT', 'invalid KDF parameters');
  return parsed.data;
};

/**
 * `masterKey = Argon2id(NFC(password), salt, m, t, p, hashLength 32)`. The caller owns the
 * returned bytes and should zero them after use.
 */
export const deriveMasterKey = async (password: string, kdf: KdfParams): Promise<Bytes> => {
  const { m, t, p, salt } = parseKdfParams(kdf);
  if (password.length === 0 || !password.isWellFormed()) {
    throw cryptoError('INVALID_INPUT', 'empty or malformed password');
  }
  const passwordBytes = utf8Encode(password.normalize('NFC'));
  const saltBytes = b64uDecode(salt);
  try {
    const out = await argon2id({
      password: passwordBytes,
      salt: saltBytes,
      memorySize: m,
      iterations: t,
      parallelism: p,
      hashLength: MASTER_KEY_BYTES,
      outputType: 'binary',
    });
    const masterKey = copyBytes(out);
    zeroize(out);
    return masterKey;
  } finally {
    zeroize(passwordBytes);
  }
};
