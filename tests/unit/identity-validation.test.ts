import { createECDH, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { IDENTITY_ERRORS } from '../../server/identity/errors';
import { LOCKOUT_MAX_MS, lockoutMs, PhantomLockouts } from '../../server/identity/lockout';
import {
  clearedSessionCookie,
  readSessionToken,
  sessionCookie,
} from '../../server/identity/session';
import {
  b64uLength,
  eciesEnvelopeSchema,
  emailSchema,
  envelopeSchema,
  kdfSchema,
  luhnValid,
  normaliseOrgNumber,
  publicKeySchema,
} from '../../server/identity/validation';

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('Swedish organisation numbers', () => {
  it('accepts valid numbers in the usual spellings and normalises them', () => {
    expect(normaliseOrgNumber('556677-8899')).toBe('556677-8899');
    expect(normaliseOrgNumber('5566778899')).toBe('556677-8899');
    expect(normaliseOrgNumber(' 556677 8899 ')).toBe('556677-8899');
    expect(normaliseOrgNumber('16556677-8899')).toBe('556677-8899');
    expect(normaliseOrgNumber('212000-0142')).toBe('212000-0142');
    // A personal number (sole trader), with the century.
    expect(normaliseOrgNumber('19811218-9876')).toBe('811218-9876');
  });

  it('refuses a wrong check digit, wrong length or letters', () => {
    expect(normaliseOrgNumber('556677-8898')).toBeNull();
    expect(normaliseOrgNumber('556677-889')).toBeNull();
    expect(normaliseOrgNumber('55667788999')).toBeNull();
    expect(normaliseOrgNumber('55667A-8899')).toBeNull();
    expect(normaliseOrgNumber('')).toBeNull();
  });

  it('computes Luhn like the Swedish tax agency', () => {
    expect(luhnValid('5566778899')).toBe(true);
    expect(luhnValid('8112189876')).toBe(true);
    expect(luhnValid('8112189875')).toBe(false);
  });
});

describe('wire schemas', () => {
  it('b64u must be canonical, unpadded and of the right length', () => {
    const key = b64u(randomBytes(32));
    expect(b64uLength(key)).toBe(32);
    expect(b64uLength(`${key}=`)).toBe(-1);
    expect(b64uLength(key.replace(/[-_]/g, '+'))).toBeLessThanOrEqual(32);
    expect(b64uLength('A')).toBe(-1);
  });

  it('e-mail addresses are trimmed and lower-cased, at most 254 characters', () => {
    expect(emailSchema.parse('  Anna.Svensson@Example.SE ')).toBe('anna.svensson@example.se');
    expect(emailSchema.safeParse('no-at-sign').success).toBe(false);
    expect(emailSchema.safeParse(`${'a'.repeat(250)}@b.se`).success).toBe(false);
  });

  it('envelopes have exactly the protocol fields and bounded size', () => {
    const envelope = {
      v: 1,
      alg: 'A256GCM',
      kid: 'user:1:1',
      iv: b64u(randomBytes(12)),
      ct: b64u(randomBytes(48)),
    };
    expect(envelopeSchema.safeParse(envelope).success).toBe(true);
    expect(envelopeSchema.safeParse({ ...envelope, extra: 1 }).success).toBe(false);
    expect(envelopeSchema.safeParse({ ...envelope, v: 2 }).success).toBe(false);
    expect(envelopeSchema.safeParse({ ...envelope, iv: b64u(randomBytes(16)) }).success).toBe(
      false,
    );
    expect(envelopeSchema.safeParse({ ...envelope, ct: b64u(randomBytes(4000)) }).success).toBe(
      false,
    );
  });

  it('ECIES envelopes and public keys must carry a real P-256 point', () => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const point = b64u(ecdh.getPublicKey());
    expect(publicKeySchema.safeParse(point).success).toBe(true);
    const notOnCurve = b64u(Buffer.concat([Buffer.from([4]), randomBytes(64)]));
    expect(publicKeySchema.safeParse(notOnCurve).success).toBe(false);
    const ecies = {
      v: 1,
      alg: 'ECDH-ES+A256GCM',
      kid: 'pub:ABCD',
      epk: point,
      iv: b64u(randomBytes(12)),
      ct: b64u(randomBytes(48)),
    };
    expect(eciesEnvelopeSchema.safeParse(ecies).success).toBe(true);
    expect(eciesEnvelopeSchema.safeParse({ ...ecies, epk: notOnCurve }).success).toBe(false);
  });

  it('KDF parameters may be raised, never lowered below the protocol defaults', () => {
    const kdf = { alg: 'argon2id', m: 65_536, t: 3, p: 1, salt: b64u(randomBytes(16)) };
    expect(kdfSchema.safeParse(kdf).success).toBe(true);
    expect(kdfSchema.safeParse({ ...kdf, m: 131_072, t: 4 }).success).toBe(true);
    expect(kdfSchema.safeParse({ ...kdf, m: 32_768 }).success).toBe(false);
    expect(kdfSchema.safeParse({ ...kdf, t: 2 }).success).toBe(false);
    expect(kdfSchema.safeParse({ ...kdf, alg: 'pbkdf2' }).success).toBe(false);
  });
});

describe('lockout', () => {
  it('is 2^(n-5) seconds from the fifth failure, capped at 15 minutes', () => {
    expect([0, 1, 4].map(lockoutMs)).toEqual([0, 0, 0]);
    expect([5, 6, 7, 10].map(lockoutMs)).toEqual([1000, 2000, 4000, 32_000]);
    expect(lockoutMs(15)).toBe(LOCKOUT_MAX_MS);
    expect(lockoutMs(60)).toBe(15 * 60 * 1000);
  });

  it('keeps a bounded number of phantom entries', () => {
    const phantoms = new PhantomLockouts(3);
    for (const key of ['a', 'b', 'c', 'd']) phantoms.set(key, { failures: 1, lockedUntil: null });
    expect(phantoms.get('a').failures).toBe(0);
    expect(phantoms.get('d').failures).toBe(1);
  });
});

describe('session cookie', () => {
  it('has exactly the specified attributes', () => {
    expect(sessionCookie('abc')).toBe(
      '__Secure-nyckel_session=abc; Path=/api/identity; HttpOnly; Secure; SameSite=Strict',
    );
    expect(clearedSessionCookie()).toMatch(/^__Secure-nyckel_session=; .*Max-Age=0$/);
  });

  it('reads only a well-formed token of our own cookie', () => {
    const token = b64u(randomBytes(32));
    const req = (cookie: string) => ({ headers: { cookie } }) as unknown as IncomingMessage;
    expect(readSessionToken(req(`a=b; __Secure-nyckel_session=${token}; c=d`))).toBe(token);
    expect(readSessionToken(req(`nyckel_session=${token}`))).toBeUndefined();
    expect(readSessionToken(req('__Secure-nyckel_session=short'))).toBeUndefined();
  });
});

describe('error catalogue', () => {
  it('has an English and a Swedish text for every reason', () => {
    for (const [reason, entry] of Object.entries(IDENTITY_ERRORS)) {
      expect(reason).toMatch(/^[A-Z_]+$/);
      expect(entry.en.length, reason).toBeGreaterThan(5);
      expect(entry.sv.length, reason).toBeGreaterThan(5);
      expect(entry.sv, reason).not.toBe(entry.en);
    }
  });
});
