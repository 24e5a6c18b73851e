/**
 * Plaintexts larger than one envelope (MAX_PLAINTEXT_BYTES), sealed as an ordered list of
 * envelopes. Each part's binding names its position and the total count, so parts cannot be
 * reordered, dropped, duplicated or moved to another record without the opening failing.
 */
import type { Bytes } from './bytes.ts';
import {
  MAX_PLAINTEXT_BYTES,
  openEnvelope,
  sealEnvelope,
  type Purpose,
  type SymmetricEnvelope,
} from './envelope.ts';

export interface PartsContext {
  purpose: Purpose;
  kid: string;
  /** The AAD binding of part `part` (1-based) of `parts`. */
  bindingOf: (part: number, parts: number) => string;
}

/** Seals `plaintext` into ⌈length / MAX_PLAINTEXT_BYTES⌉ envelopes (at least one). */
export async function sealParts(
  key: CryptoKey,
  plaintext: Bytes,
  context: PartsContext,
): Promise<SymmetricEnvelope[]> {
  const count = Math.max(1, Math.ceil(plaintext.length / MAX_PLAINTEXT_BYTES));
  const parts: SymmetricEnvelope[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = plaintext.subarray(i * MAX_PLAINTEXT_BYTES, (i + 1) * MAX_PLAINTEXT_BYTES);
    parts.push(
      await sealEnvelope(key, chunk, {
        purpose: context.purpose,
        binding: context.bindingOf(i + 1, count),
        kid: context.kid,
      }),
    );
  }
  return parts;
}

/** Inverse of `sealParts`; throws the envelope errors of `openEnvelope`. */
export async function openParts(
  key: CryptoKey,
  parts: readonly unknown[],
  context: PartsContext,
): Promise<Bytes> {
  const chunks: Bytes[] = [];
  for (const [i, part] of parts.entries()) {
    chunks.push(
      await openEnvelope(key, part, {
        purpose: context.purpose,
        binding: context.bindingOf(i + 1, parts.length),
        kid: context.kid,
      }),
    );
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
