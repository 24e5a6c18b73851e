import { describe, expect, it } from 'vitest';
import { b64uDecode } from '../../../src/lib/core/crypto/encoding.ts';
import {
  envelopeSchema,
  openEnvelope,
  sealEnvelope,
} from '../../../src/lib/core/crypto/envelope.ts';
import { hkdf } from '../../../src/lib/core/crypto/hkdf.ts';
import {
  createAccountKeys,
  deriveAccountSecrets,
  recoverAccount,
  rewrapUserKey,
  unlockAccount,
  unlockPrivateKey,
  unlockWithRecovery,
} from '../../../src/lib/core/crypto/keys.ts';
import { deriveMasterKey } from '../../../src/lib/core/crypto/kdf.ts';
import {
  deriveRecoverySecrets,
  generateRecoveryCode,
} from '../../../src/lib/core/crypto/recovery.ts';
import { fingerprint } from '../../../src/lib/core/crypto/p256.ts';
import { expectCryptoError, expectNonExtractable, FAST_KDF, toHex } from './helpers.ts';

const userId = '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const otherUserId = '0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d';

const register = async (password = 'correct horse battery staple') => {
  const secrets = await deriveAccountSecrets(password, FAST_KDF);
  return { secrets, keys: await createAccountKeys({ userId, wrapKey: secrets.wrapKey }) };
};

/** A round trip proving two AES keys are the same key. */
const sameAesKey = async (a: CryptoKey, b: CryptoKey) => {
  const ctx = { purpose: 'client-label', binding: 'x/y/1', kid: 'org:x:1' } as const;
  const envelope = await sealEnvelope(a, new Uint8Array([42]), ctx);
  return (await openEnvelope(b, envelope, ctx))[0] === 42;
};

describe('deriveAccountSecrets', () => {
  it('authKey = HKDF(masterKey, "nyckel:auth:v1"); wrapKey non-extractable', async () => {
    const { authKey, wrapKey } = await deriveAccountSecrets('pw', FAST_KDF);
    const masterKey = await deriveMasterKey('pw', FAST_KDF);
    expect(toHex(b64uDecode(authKey))).toBe(toHex(await hkdf(masterKey, 'nyckel:auth:v1')));
    await expectNonExtractable(wrapKey);
    // wrapKey is HKDF(masterKey, "nyckel:wrap:v1"): check against an independently imported key.
    const raw = await hkdf(masterKey, 'nyckel:wrap:v1');
    const other = await globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
    expect(await sameAesKey(wrapKey, other)).toBe(true);
    expect((await deriveAccountSecrets('pw2', FAST_KDF)).authKey).not.toBe(authKey);
  });
});

describe('account lifecycle', () => {
  it('register → login unlocks the same keys; all unwrapped keys are non-extractable', async () => {
    const { secrets, keys } = await register();
    for (const e of [keys.wrappedUserKey, keys.wrappedPrivateKey, keys.recovery.wrappedUserKey]) {
      expect(envelopeSchema.safeParse(e).success).toBe(true);
    }
    expect(keys.wrappedUserKey.kid).toBe(`pwd:${userId}:1`);
    expect(keys.recovery.wrappedUserKey.kid).toBe(`rec:${userId}:1`);
    expect(keys.wrappedPrivateKey.kid).toBe(`user:${userId}:1`);
    expect(b64uDecode(keys.publicKey)).toHaveLength(65);
    expect(keys.fingerprint).toBe(await fingerprint(keys.publicKey));
    expect(keys.recovery.code).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    await expectNonExtractable(keys.userKey);
    await expectNonExtractable(keys.privateKey);

    const login = await deriveAccountSecrets('correct horse battery staple', FAST_KDF);
    expect(login.authKey).toBe(secrets.authKey);
    const unlocked = await unlockAccount({
      userId,
      wrapKey: login.wrapKey,
      wrappedUserKey: keys.wrappedUserKey,
      wrappedPrivateKey: keys.wrappedPrivateKey,
      publicKey: keys.publicKey,
    });
    await expectNonExtractable(unlocked.userKey);
    await expectNonExtractable(unlocked.privateKey);
    expect(unlocked.publicKey).toBe(keys.publicKey);
    expect(await sameAesKey(keys.userKey, unlocked.userKey)).toBe(true);
  });

  it('a wrong password fails to unlock', async () => {
    const { keys } = await register();
    const wrong = await deriveAccountSecrets('Correct horse battery staple', FAST_KDF);
    await expectCryptoError(
      unlockAccount({ userId, wrapKey: wrong.wrapKey, ...keys }),
      'DECRYPT_FAILED',
    );
  });

  it("another user's envelopes (or a swapped public key) do not unlock", async () => {
    const { secrets, keys } = await register();
    // Same envelopes presented for another user id: kid check, then AAD binding.
    await expectCryptoError(
      unlockAccount({ userId: otherUserId, wrapKey: secrets.wrapKey, ...keys }),
      'KID_MISMATCH',
    );
    // A server swapping in someone else's public key is caught.
    const other = await createAccountKeys({ userId, wrapKey: secrets.wrapKey });
    await expectCryptoError(
      unlockAccount({ userId, wrapKey: secrets.wrapKey, ...keys, publicKey: other.publicKey }),
      'KEY_MISMATCH',
    );
    // The private key envelope of another account (same user id, other userKey) fails.
    await expectCryptoError(
      unlockPrivateKey({
        userId,
        userKey: keys.userKey,
        wrappedPrivateKey: other.wrappedPrivateKey,
        publicKey: other.publicKey,
      }),
      'DECRYPT_FAILED',
    );
    // The userKey envelope presented as the private key envelope (purpose swap).
    await expectCryptoError(
      unlockPrivateKey({
        userId,
        userKey: keys.userKey,
        wrappedPrivateKey: keys.wrappedUserKey,
        publicKey: keys.publicKey,
      }),
      'KID_MISMATCH',
    );
  });

  it('password change re-wraps userKey (kid pwd:n+1); the old password stops working', async () => {
    const { secrets, keys } = await register('old password');
    const next = await deriveAccountSecrets('new password', {
      ...FAST_KDF,
      salt: 'AAAAAAAAAAAAAAAAAAAAAA',
    });
    const wrappedUserKey = await rewrapUserKey({
      userId,
      wrappedUserKey: keys.wrappedUserKey,
      oldWrapKey: secrets.wrapKey,
      newWrapKey: next.wrapKey,
    });
    expect(wrappedUserKey.kid).toBe(`pwd:${userId}:2`);
    const unlocked = await unlockAccount({
      userId,
      wrapKey: next.wrapKey,
      ...keys,
      wrappedUserKey,
    });
    expect(await sameAesKey(keys.userKey, unlocked.userKey)).toBe(true);
    await expectCryptoError(
      unlockAccount({ userId, wrapKey: secrets.wrapKey, ...keys, wrappedUserKey }),
      'DECRYPT_FAILED',
    );
    const third = await rewrapUserKey({
      userId,
      wrappedUserKey,
      oldWrapKey: next.wrapKey,
      newWrapKey: secrets.wrapKey,
    });
    expect(third.kid).toBe(`pwd:${userId}:3`);
    // Rewrap with a wrong old key fails and produces nothing.
    await expectCryptoError(
      rewrapUserKey({
        userId,
        wrappedUserKey,
        oldWrapKey: secrets.wrapKey,
        newWrapKey: next.wrapKey,
      }),
      'DECRYPT_FAILED',
    );
  });

  it('recovery code unlocks userKey; a wrong code fails', async () => {
    const { keys } = await register();
    const userKey = await unlockWithRecovery(
      keys.recovery.code.toLowerCase().replace(/-/g, ' '),
      userId,
      keys.recovery.wrappedUserKey,
    );
    await expectNonExtractable(userKey);
    expect(await sameAesKey(keys.userKey, userKey)).toBe(true);

    await expectCryptoError(
      unlockWithRecovery(generateRecoveryCode(), userId, keys.recovery.wrappedUserKey),
      'DECRYPT_FAILED',
    );
    await expectCryptoError(
      unlockWithRecovery('ABCD-EFGH', userId, keys.recovery.wrappedUserKey),
      'INVALID_RECOVERY_CODE',
    );
    // The password envelope is not accepted as a recovery envelope.
    await expectCryptoError(
      unlockWithRecovery(keys.recovery.code, userId, keys.wrappedUserKey),
      'KID_MISMATCH',
    );
    // recoveryAuthKey is what register sent.
    expect((await deriveRecoverySecrets(keys.recovery.code)).authKey).toBe(keys.recovery.authKey);
  });

  it('recoverAccount keeps userKey, sets a new password and issues a new code', async () => {
    const { keys } = await register();
    const fresh = await deriveAccountSecrets('brand new', FAST_KDF);
    const recovered = await recoverAccount({
      code: keys.recovery.code,
      userId,
      wrappedUserKey: keys.recovery.wrappedUserKey,
      newWrapKey: fresh.wrapKey,
      previousPasswordKid: keys.wrappedUserKey.kid,
    });
    expect(recovered.wrappedUserKey.kid).toBe(`pwd:${userId}:2`);
    expect(recovered.recovery.wrappedUserKey.kid).toBe(`rec:${userId}:2`);
    expect(recovered.recovery.code).not.toBe(keys.recovery.code);
    await expectNonExtractable(recovered.userKey);
    expect(await sameAesKey(keys.userKey, recovered.userKey)).toBe(true);
    // Login with the new password still opens the old private key.
    const unlocked = await unlockAccount({
      userId,
      wrapKey: fresh.wrapKey,
      ...keys,
      wrappedUserKey: recovered.wrappedUserKey,
    });
    expect(await sameAesKey(keys.userKey, unlocked.userKey)).toBe(true);
    // The new code works, the old one does not open the new envelope.
    await unlockWithRecovery(recovered.recovery.code, userId, recovered.recovery.wrappedUserKey);
    await expectCryptoError(
      unlockWithRecovery(keys.recovery.code, userId, recovered.recovery.wrappedUserKey),
      'DECRYPT_FAILED',
    );
    // Without a previous kid the password envelope starts at generation 1.
    const again = await recoverAccount({
      code: recovered.recovery.code,
      userId,
      wrappedUserKey: recovered.recovery.wrappedUserKey,
      newWrapKey: fresh.wrapKey,
    });
    expect(again.wrappedUserKey.kid).toBe(`pwd:${userId}:1`);
    expect(again.recovery.wrappedUserKey.kid).toBe(`rec:${userId}:3`);
    await expectCryptoError(
      recoverAccount({
        code: keys.recovery.code,
        userId,
        wrappedUserKey: keys.recovery.wrappedUserKey,
        newWrapKey: fresh.wrapKey,
        previousPasswordKid: `pwd:${otherUserId}:1`,
      }),
      'INVALID_INPUT',
    );
  });

  it('rejects malformed ids', async () => {
    const { secrets } = await register();
    await expectCryptoError(
      createAccountKeys({ userId: 'a|b', wrapKey: secrets.wrapKey }),
      'INVALID_INPUT',
    );
    await expectCryptoError(
      createAccountKeys({ userId: 'a/b', wrapKey: secrets.wrapKey }),
      'INVALID_INPUT',
    );
  });
});
