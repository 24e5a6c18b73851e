import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Capabilities (P5). For every finance entity the client creates a 256-bit random capability;
 * it is the only credential of that entity. The wire formats:
 *
 * - `capability`: the raw 32 bytes as canonical unpadded base64url (43 chars), sent with
 *   every call on the entity;
 * - `capabilityHash`: SHA-256 of the raw 32 bytes (not of the base64url text), as 64
 *   lowercase hex chars. `createEntity` receives only this, so the server never sees the
 *   capability before the first call that uses it, and the store keeps only the hash;
 * - `entityId`: 128 bits from the server's CSPRNG as 32 lowercase hex chars.
 *
 * A plain (unsalted, fast) hash is enough: the capability has 256 bits of entropy.
 */
export const CAPABILITY_BYTES = 32;
export const ENTITY_ID_BYTES = 16;

export const entityIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex');

export const capabilityHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be SHA-256 as 64 lowercase hex');

export const capabilitySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes')
  .refine(
    (s) => Buffer.from(s, 'base64url').toString('base64url') === s,
    'must be canonical base64url of 32 bytes',
  );

export const newEntityId = (): string => randomBytes(ENTITY_ID_BYTES).toString('hex');

/** The stored form of a capability: SHA-256 of its raw bytes, lowercase hex. */
export function hashCapability(capability: string): string {
  return createHash('sha256').update(Buffer.from(capability, 'base64url')).digest('hex');
}

// Compared against when the entity does not exist, so both refusals take the same work.
const DUMMY_HASH = Buffer.from(createHash('sha256').update('nyckel:no-entity').digest());

/**
 * Whether `capability` matches the stored hash (`undefined`: no such entity), compared in
 * constant time. Unknown entity and wrong capability take the same path and give `false`.
 */
export function capabilityMatches(capability: string, storedHash: string | undefined): boolean {
  const presented = createHash('sha256').update(Buffer.from(capability, 'base64url')).digest();
  const stored =
    storedHash !== undefined && /^[0-9a-f]{64}$/.test(storedHash)
      ? Buffer.from(storedHash, 'hex')
      : DUMMY_HASH;
  return timingSafeEqual(presented, stored) && storedHash !== undefined;
}
