/**
 * Account keys of protocol v1: password → { authKey, wrapKey }; userKey wrapped by wrapKey and
 * by the recovery key; the P-256 key pair whose private key is wrapped by userKey.
 *
 * Every key handed back is a non-extractable CryptoKey. Where a key must be re-wrapped
 * (password change, recovery), its raw bytes exist only inside one function call and are
 * zeroed before it returns.
 */
import { randomBytes, withSecret, zeroize, type Bytes } from './bytes.ts';
import { b64uEncode } from './encoding.ts';
import {
  AES_KEY_BYTES,
  importAesKey,
  openEnvelope,
  parseEnvelope,
  sealEnvelope,
  type SymmetricEnvelope,
} from './envelope.ts';
import { cryptoError } from './errors.ts';
import { hkdf, hkdfAesKey } from './hkdf.ts';
import { binding, kid, kidGeneration } from './ids.ts';
import { deriveMasterKey, type KdfParams } from './kdf.ts';
import {
  assertKeyPair,
  exportPublicKey,
  fingerprint,
  generateKeyPair,
  importPrivateKey,
} from './p256.ts';
import { deriveRecoverySecrets, generateRecoveryCode } from './recovery.ts';

export const AUTH_INFO = 'nyckel:auth:v1';
export const WRAP_INFO = 'nyckel:wrap:v1';

// ---------------------------------------------------------------------------------------------
// Password

export interface AccountSecrets {
  /** b64u `authKey`, sent at registration and login (the server stores its Argon2id hash). */
  authKey: string;
  /** Non-extractable AES-256-GCM `wrapKey`. */
  wrapKey: CryptoKey;
}

/** Argon2id + HKDF: the slow step; run it in the KDF worker in the browser. */
export const deriveAccountSecrets = async (
  password: string,
  kdf: KdfParams,
): Promise<AccountSecrets> =>
  withSecret(await deriveMasterKey(password, kdf), async (masterKey) => {
    const auth = await hkdf(masterKey, AUTH_INFO);
    const authKey = b64uEncode(auth);
    zeroize(auth);
    return { authKey, wrapKey: await hkdfAesKey(masterKey, WRAP_INFO) };
  });

// ---------------------------------------------------------------------------------------------
// userKey envelopes

type UserKeyWrap = 'pwd' | 'rec';

const PURPOSE_OF = {
  pwd: 'user-key/password',
  rec: 'user-key/recovery',
} as const;

const sealUserKey = async (
  rawUserKey: Bytes,
  key: CryptoKey,
  userId: string,
  wrap: UserKeyWrap,
  generation: number,
): Promise<SymmetricEnvelope> =>
  sealEnvelope(key, rawUserKey, {
    purpose: PURPOSE_OF[wrap],
    binding: binding.user(userId),
    kid: wrap === 'pwd' ? kid.password(userId, generation) : kid.recovery(userId, generation),
  });

/** Opens a userKey envelope to raw bytes (caller zeroes) and returns its kid generation. */
const openUserKeyRaw = async (
  key: CryptoKey,
  envelope: unknown,
  userId: string,
  wrap: UserKeyWrap,
): Promise<{ raw: Bytes; generation: number }> => {
  const parsed = parseEnvelope(envelope);
  const raw = await openEnvelope(key, parsed, {
    purpose: PURPOSE_OF[wrap],
    binding: binding.user(userId),
    kid: (k) => kidGeneration(k, wrap, userId) !== null,
  });
  if (raw.length !== AES_KEY_BYTES) {
    zeroize(raw);
    throw cryptoError('DECRYPT_FAILED', 'unexpected userKey length');
  }
  return { raw, generation: kidGeneration(parsed.kid, wrap, userId) ?? 1 };
};

const nextGeneration = (previousKid: string | undefined, wrap: UserKeyWrap, userId: string) => {
  if (previousKid === undefined) return 1;
  const n = kidGeneration(previousKid, wrap, userId);
  if (n === null) throw cryptoError('INVALID_INPUT', `previous kid is not ${wrap}:${userId}:<n>`);
  return n + 1;
};

export interface RecoveryPackage {
  /** Formatted recovery code: show it once, never send it. */
  code: string;
  /** userKey under recoveryWrapKey (`user-key/recovery`, kid `rec:<userId>:<n>`). */
  wrappedUserKey: SymmetricEnvelope;
  /** b64u recoveryAuthKey for the server. */
  authKey: string;
}

const newRecoveryPackage = async (
  rawUserKey: Bytes,
  userId: string,
  generation: number,
): Promise<RecoveryPackage> => {
  const code = generateRecoveryCode();
  const { authKey, wrapKey } = await deriveRecoverySecrets(code);
  const wrappedUserKey = await sealUserKey(rawUserKey, wrapKey, userId, 'rec', generation);
  return { code, wrappedUserKey, authKey };
};

// ---------------------------------------------------------------------------------------------
// Private key

const sealPrivateKey = async (userKey: CryptoKey, userId: string, pkcs8: Bytes) =>
  sealEnvelope(userKey, pkcs8, {
    purpose: 'user-private-key',
    binding: binding.user(userId),
    kid: kid.user(userId),
  });

/**
 * Opens the `user-private-key` envelope, imports the key as non-extractable and checks that it
 * belongs to `publicKey` (a swapped public key on the server is caught here: `KEY_MISMATCH`).
 */
export const unlockPrivateKey = async ({
  userId,
  userKey,
  wrappedPrivateKey,
  publicKey,
}: {
  userId: string;
  userKey: CryptoKey;
  wrappedPrivateKey: unknown;
  publicKey: string;
}): Promise<CryptoKey> => {
  const pkcs8 = await openEnvelope(userKey, wrappedPrivateKey, {
    purpose: 'user-private-key',
    binding: binding.user(userId),
    kid: kid.user(userId),
  });
  const privateKey = await withSecret(pkcs8, importPrivateKey);
  await assertKeyPair(privateKey, publicKey);
  return privateKey;
};

// ---------------------------------------------------------------------------------------------
// Account lifecycle

export interface NewAccountKeys {
  /** Non-extractable AES-256-GCM userKey. */
  userKey: CryptoKey;
  /** b64u raw uncompressed P-256 point (65 bytes). */
  publicKey: string;
  /** Non-extractable ECDH private key. */
  privateKey: CryptoKey;
  /** userKey under wrapKey (`user-key/password`, kid `pwd:<userId>:1`). */
  wrappedUserKey: SymmetricEnvelope;
  /** PKCS#8 under userKey (`user-private-key`, kid `user:<userId>:1`). */
  wrappedPrivateKey: SymmetricEnvelope;
  /** Recovery code and its envelope (kid `rec:<userId>:1`). */
  recovery: RecoveryPackage;
  /** Fingerprint of `publicKey`, `XXXX-XXXX-XXXX-XXXX`. */
  fingerprint: string;
}

/** Generates all keys of a new account (registration and e-mail reset). */
export const createAccountKeys = async ({
  userId,
  wrapKey,
}: {
  userId: string;
  wrapKey: CryptoKey;
}): Promise<NewAccountKeys> => {
  const { userKey, wrappedUserKey, recovery } = await withSecret(
    randomBytes(AES_KEY_BYTES),
    async (raw) => ({
      wrappedUserKey: await sealUserKey(raw, wrapKey, userId, 'pwd', 1),
      recovery: await newRecoveryPackage(raw, userId, 1),
      userKey: await importAesKey(raw),
    }),
  );
  const pair = await generateKeyPair(true);
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const { wrappedPrivateKey, privateKey } = await withSecret(pkcs8, async (bytes) => ({
    wrappedPrivateKey: await sealPrivateKey(userKey, userId, bytes),
    privateKey: await importPrivateKey(bytes),
  }));
  const publicKey = await exportPublicKey(pair.publicKey);
  return {
    userKey,
    publicKey,
    privateKey,
    wrappedUserKey,
    wrappedPrivateKey,
    recovery,
    fingerprint: await fingerprint(publicKey),
  };
};

export interface UnlockedAccount {
  userKey: CryptoKey;
  privateKey: CryptoKey;
  publicKey: string;
}

/** Login: unwraps userKey with wrapKey, then the private key with userKey. */
export const unlockAccount = async ({
  userId,
  wrapKey,
  wrappedUserKey,
  wrappedPrivateKey,
  publicKey,
}: {
  userId: string;
  wrapKey: CryptoKey;
  wrappedUserKey: unknown;
  wrappedPrivateKey: unknown;
  publicKey: string;
}): Promise<UnlockedAccount> => {
  const { raw } = await openUserKeyRaw(wrapKey, wrappedUserKey, userId, 'pwd');
  const userKey = await withSecret(raw, importAesKey);
  const privateKey = await unlockPrivateKey({ userId, userKey, wrappedPrivateKey, publicKey });
  return { userKey, privateKey, publicKey };
};

/**
 * Password change: re-wraps userKey from `oldWrapKey` to `newWrapKey`. The new envelope's kid
 * is `pwd:<userId>:<n+1>` where n comes from the old envelope.
 */
export const rewrapUserKey = async ({
  userId,
  wrappedUserKey,
  oldWrapKey,
  newWrapKey,
}: {
  userId: string;
  wrappedUserKey: unknown;
  oldWrapKey: CryptoKey;
  newWrapKey: CryptoKey;
}): Promise<SymmetricEnvelope> => {
  const { raw, generation } = await openUserKeyRaw(oldWrapKey, wrappedUserKey, userId, 'pwd');
  return withSecret(raw, (bytes) => sealUserKey(bytes, newWrapKey, userId, 'pwd', generation + 1));
};

/** Unwraps userKey with a recovery code (`INVALID_RECOVERY_CODE` / `DECRYPT_FAILED`). */
export const unlockWithRecovery = async (
  code: string,
  userId: string,
  envelope: unknown,
): Promise<CryptoKey> => {
  const { wrapKey } = await deriveRecoverySecrets(code);
  const { raw } = await openUserKeyRaw(wrapKey, envelope, userId, 'rec');
  return withSecret(raw, importAesKey);
};

export interface RecoveredAccount {
  userKey: CryptoKey;
  /** userKey under the new password's wrapKey. */
  wrappedUserKey: SymmetricEnvelope;
  /** A fresh recovery code (the used one is considered spent), kid `rec:<userId>:<n+1>`. */
  recovery: RecoveryPackage;
}

/**
 * Password reset with the recovery code (`recoveryComplete`): keeps userKey (and so the key
 * pair and every org key), wraps it under `newWrapKey` and under a new recovery code.
 * `previousPasswordKid` (the kid of the old password envelope, if known) numbers the new one;
 * without it the new envelope gets generation 1.
 */
export const recoverAccount = async ({
  code,
  userId,
  wrappedUserKey,
  newWrapKey,
  previousPasswordKid,
}: {
  code: string;
  userId: string;
  /** The `user-key/recovery` envelope from `recoveryStart`. */
  wrappedUserKey: unknown;
  newWrapKey: CryptoKey;
  previousPasswordKid?: string;
}): Promise<RecoveredAccount> => {
  const passwordGeneration = nextGeneration(previousPasswordKid, 'pwd', userId);
  const { wrapKey } = await deriveRecoverySecrets(code);
  const { raw, generation } = await openUserKeyRaw(wrapKey, wrappedUserKey, userId, 'rec');
  return withSecret(raw, async (bytes) => ({
    wrappedUserKey: await sealUserKey(bytes, newWrapKey, userId, 'pwd', passwordGeneration),
    recovery: await newRecoveryPackage(bytes, userId, generation + 1),
    userKey: await importAesKey(bytes),
  }));
};
