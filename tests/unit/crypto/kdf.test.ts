import { hashRaw } from '@node-rs/argon2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KDF,
  deriveMasterKey,
  KDF_BOUNDS,
  kdfParamsSchema,
  newKdfParams,
  parseKdfParams,
} from '../../../src/lib/core/crypto/kdf.ts';
import { kdfWorkerApi } from '../../../src/lib/core/crypto/kdf-worker-api.ts';
import { b64uDecode } from '../../../src/lib/core/crypto/encoding.ts';
import { expectCryptoError, FAST_KDF, toHex } from './helpers.ts';

describe('deriveMasterKey (Argon2id via hash-wasm)', () => {
  it('known answers (m=8 MiB; verified against @node-rs/argon2)', async () => {
    expect(toHex(await deriveMasterKey('correct horse battery staple', FAST_KDF))).toBe(
      '9aeef75313e585f492c33c5e12d82e9ad253b7dd78632d537e899cd4eddd789c',
    );
    expect(toHex(await deriveMasterKey('Räksmörgås', { ...FAST_KDF, t: 2, p: 2 }))).toBe(
      'be666b0940b58a1f547add75342e93300524bf5ac69c218a17355d2baaf7579f',
    );
  });

  it('agrees with an independent Argon2id implementation (@node-rs/argon2)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        async (password, salt) => {
          const kdf = { ...FAST_KDF, salt: Buffer.from(salt).toString('base64url') };
          const ours = await deriveMasterKey(password, kdf);
          const oracle = await hashRaw(Buffer.from(password.normalize('NFC'), 'utf8'), {
            algorithm: 2, // Algorithm.Argon2id (an ambient const enum)
            memoryCost: kdf.m,
            timeCost: kdf.t,
            parallelism: kdf.p,
            outputLen: 32,
            salt,
          });
          expect(toHex(ours)).toBe(toHex(oracle));
        },
      ),
      { numRuns: 8 },
    );
  });

  it('normalises the password to NFC', async () => {
    const composed = 'Å\u00e5'; // U+00C5 U+00E5
    const decomposed = 'A\u030aa\u030a';
    expect(composed).not.toBe(decomposed);
    expect(toHex(await deriveMasterKey(decomposed, FAST_KDF))).toBe(
      toHex(await deriveMasterKey(composed, FAST_KDF)),
    );
  });

  it('rejects an empty password and out-of-bounds parameters', async () => {
    await expectCryptoError(deriveMasterKey('', FAST_KDF), 'INVALID_INPUT');
    await expectCryptoError(deriveMasterKey('\udc00', FAST_KDF), 'INVALID_INPUT');
    for (const bad of [
      { ...FAST_KDF, m: 4096 },
      { ...FAST_KDF, m: 2 * 1_048_576 },
      { ...FAST_KDF, t: 0 },
      { ...FAST_KDF, t: 11 },
      { ...FAST_KDF, p: 5 },
      { ...FAST_KDF, m: 8192.5 },
      { ...FAST_KDF, alg: 'argon2i' },
      { ...FAST_KDF, salt: 'AAECAwQFBgcICQoLDA0O' },
      { ...FAST_KDF, salt: 'AAECAwQFBgcICQoLDA0ODw==' },
      { ...FAST_KDF, extra: 1 },
    ]) {
      expect(kdfParamsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      await expectCryptoError(deriveMasterKey('pw', bad as never), 'INVALID_INPUT');
    }
  });

  it('real default parameters (m=64 MiB, t=3, p=1): timing reported, not asserted', async () => {
    const kdf = newKdfParams();
    expect(kdf).toMatchObject({ alg: 'argon2id', m: 65536, t: 3, p: 1 });
    const start = performance.now();
    const key = await deriveMasterKey('correct horse battery staple', kdf);
    const ms = performance.now() - start;
    expect(key).toHaveLength(32);
    console.log(
      `[kdf] Argon2id m=${kdf.m} KiB t=${kdf.t} p=${kdf.p} in Node ${process.version}: ${ms.toFixed(0)} ms`,
    );
    const timed = await kdfWorkerApi.timeKdf(DEFAULT_KDF);
    console.log(`[kdf] kdfWorkerApi.timeKdf(DEFAULT_KDF): ${timed.toFixed(0)} ms`);
    expect(timed).toBeGreaterThan(0);
  }, 60_000);
});

describe('KDF parameters', () => {
  it('newKdfParams: defaults, a fresh 16-byte salt, and only ever raises the cost', () => {
    const a = newKdfParams();
    const b = newKdfParams();
    expect(a).toMatchObject(DEFAULT_KDF);
    expect(b64uDecode(a.salt)).toHaveLength(16);
    expect(a.salt).not.toBe(b.salt);
    expect(newKdfParams({ alg: 'argon2id', m: 131072, t: 2, p: 2 })).toMatchObject({
      m: 131072,
      t: 3,
      p: 2,
    });
    expect(newKdfParams({ alg: 'argon2id', m: 8192, t: 1, p: 1 })).toMatchObject(DEFAULT_KDF);
  });

  it('bounds are as documented', () => {
    expect(KDF_BOUNDS).toEqual({
      m: { min: 8192, max: 1_048_576 },
      t: { min: 1, max: 10 },
      p: { min: 1, max: 4 },
    });
    expect(parseKdfParams({ ...FAST_KDF, m: 1_048_576, t: 10, p: 4 })).toBeTruthy();
  });
});

describe('kdfWorkerApi', () => {
  it('deriveAccountSecrets validates untrusted parameters', async () => {
    await expectCryptoError(
      kdfWorkerApi.deriveAccountSecrets('pw', { ...FAST_KDF, m: 1 }),
      'INVALID_INPUT',
    );
    const { authKey, wrapKey } = await kdfWorkerApi.deriveAccountSecrets('pw', FAST_KDF);
    expect(b64uDecode(authKey)).toHaveLength(32);
    expect(wrapKey.extractable).toBe(false);
  });

  it('returns values that survive structured cloning (postMessage)', async () => {
    const secrets = await kdfWorkerApi.deriveAccountSecrets('pw', FAST_KDF);
    const cloned = structuredClone(secrets);
    expect(cloned.authKey).toBe(secrets.authKey);
    expect(cloned.wrapKey.extractable).toBe(false);
    expect(cloned.wrapKey.usages.sort()).toEqual(['decrypt', 'encrypt']);
  });
});
