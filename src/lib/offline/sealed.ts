import { z } from 'zod';
import {
  openParts,
  sealParts,
  utf8Decode,
  utf8Encode,
  type PartsContext,
  type SymmetricEnvelope,
} from '../core/crypto/index';
import { ENVELOPE_VERSION } from '../core/crypto/envelope';

/**
 * How the device's offline caches store envelopes (docs/PROTOCOL.md, "Device caches"): only
 * `iv` and `ct`. The version and algorithm are fixed, and the `kid` would name the user
 * (`user:<userId>:1`), so it is implied by the record and rebuilt before opening; it stays
 * part of the authenticated data exactly as in every other envelope.
 */
export const sealedBlobSchema = z.strictObject({
  iv: z.string().max(32),
  ct: z.string().max(4096),
});
export type SealedBlob = z.infer<typeof sealedBlobSchema>;

export const compact = ({ iv, ct }: SymmetricEnvelope): SealedBlob => ({ iv, ct });

/** The full envelope of a stored blob, with the kid the record implies. */
export const expand = ({ iv, ct }: SealedBlob, kid: string): SymmetricEnvelope => ({
  v: ENVELOPE_VERSION,
  alg: 'A256GCM',
  kid,
  iv,
  ct,
});

/** Seals the UTF-8 JSON of `value` in bound parts and keeps only their `iv`/`ct`. */
export async function sealJson(
  key: CryptoKey,
  value: unknown,
  context: PartsContext,
): Promise<SealedBlob[]> {
  const parts = await sealParts(key, utf8Encode(JSON.stringify(value)), context);
  return parts.map(compact);
}

/**
 * Opens what `sealJson` stored and validates it with `schema`: a wrong key, another record's
 * parts, a changed part or a changed order fail with the crypto core's `DECRYPT_FAILED`; a
 * plaintext of the wrong shape fails the schema.
 */
export async function openJson<T>(
  key: CryptoKey,
  blobs: readonly SealedBlob[],
  context: PartsContext,
  schema: z.ZodType<T>,
): Promise<T> {
  const bytes = await openParts(
    key,
    blobs.map((blob) => expand(blob, context.kid)),
    context,
  );
  return schema.parse(JSON.parse(utf8Decode(bytes)));
}
