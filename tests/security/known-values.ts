import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  fakeEcies,
  fakeEnvelope,
  fakeKdf,
  fakePublicKey,
  randomKey,
} from '../helpers/identity-http';
import { z } from 'zod';
import { demoPayloads } from './helpers';
import { sampleOf } from './schema-arbitrary';

/**
 * Valid values by field name, for the fields whose validity a schema alone cannot describe
 * (canonical base64url, real P-256 points, Luhn-checked org numbers) and for the ids that
 * must name real rows for a call to reach the code behind its validation. A field added
 * later that is not listed here gets a schema-shaped sample instead.
 */
export type KnownValues = Readonly<Record<string, () => unknown>>;

const b64u = (bytes: number) => randomBytes(bytes).toString('base64url');

export const validFieldValues: KnownValues = {
  email: () => `known-${randomUUID().slice(0, 8)}@example.se`,
  orgNumber: () => '556677-8899',
  authKey: randomKey,
  currentAuthKey: randomKey,
  recoveryAuthKey: randomKey,
  token: randomKey,
  resetToken: randomKey,
  publicKey: fakePublicKey,
  kdf: fakeKdf,
  salt: () => b64u(16),
  iv: () => b64u(12),
  ct: () => b64u(48),
  epk: fakePublicKey,
  capabilityHash: () => createHash('sha256').update(randomBytes(32)).digest('hex'),
  capability: () => b64u(32),
  entityId: () => randomBytes(16).toString('hex'),
  wrappedOrgKey: () => fakeEcies(),
  county: () => '01',
  payload: () => demoPayloads(1)[0],
};

/** Envelopes, whose kid must only be printable ASCII on the server side. */
const ENVELOPE_FIELDS = new Set(['link', 'label', 'wrappedUserKey', 'wrappedPrivateKey']);

/** A copy of `value` with every property named in `known` set to a fresh known value. */
export function withKnownValues(value: unknown, known: KnownValues): unknown {
  if (Array.isArray(value)) return value.map((item) => withKnownValues(item, known));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const make = known[key];
      if (make) return [key, make()];
      if (ENVELOPE_FIELDS.has(key) && typeof item === 'object' && item !== null) {
        const kid = 'kid' in item && typeof item.kid === 'string' ? item.kid : 'user:x:1';
        return [key, fakeEnvelope(/^[\x21-\x7e]+$/.test(kid) ? kid : 'user:x:1')];
      }
      return [key, withKnownValues(item, known)];
    }),
  );
}

/** Whether the procedure's own schema accepts an input. */
export const accepts = (schema: unknown, input: unknown): boolean =>
  schema === undefined || (schema instanceof z.ZodType && schema.safeParse(input).success);

/**
 * An input of a procedure that passes its validation as far as possible: schema-shaped, with
 * the known values (and the caller's own ids: `orgId`, `linkId`, …) put in; of up to 20
 * samples the first the schema accepts (refinements across fields may refuse them all).
 */
export function validInput(schema: unknown, known: KnownValues): unknown {
  if (schema === undefined) return undefined;
  let input: unknown;
  for (let seed = 1; seed <= 20; seed += 1) {
    input = withKnownValues(sampleOf(schema, seed), { ...validFieldValues, ...known });
    if (accepts(schema, input)) return input;
  }
  return input;
}
