/**
 * Nyckel client crypto core, protocol v1 (docs/PROTOCOL.md, "Key hierarchy").
 *
 * Pure TypeScript on `globalThis.crypto` (WebCrypto) and hash-wasm: runs unchanged in the
 * browser, in workers and in Node 20 (CLI, integration tests). All keys returned are
 * non-extractable CryptoKeys; raw key bytes exist only transiently inside a call.
 *
 * Typical flows:
 * - Register: `newKdfParams()` → `deriveAccountSecrets(password, kdf)` (in the KDF worker) →
 *   `createAccountKeys({ userId, wrapKey })` → send `authKey`, envelopes, `publicKey`,
 *   `recovery.{wrappedUserKey, authKey}`; show `recovery.code` and `fingerprint` once.
 * - Login: `parseKdfParams(preLogin.kdf)` → `deriveAccountSecrets` → `unlockAccount(...)`.
 * - Change password: `newKdfParams(oldKdf)` → `deriveAccountSecrets(new)` → `rewrapUserKey`.
 * - Recovery: `deriveRecoverySecrets(code).authKey` → `recoveryStart` → `recoverAccount`.
 * - Organisation: `newOrgKey` (create, rotate) → `unwrapOrgKey` → `sealLink` / `openLink`,
 *   `sealClientLabel` / `openClientLabel`; `wrapOrgKeyForMember` to grant a new member.
 */

/** Errors: every failure is an `Error` with `name: 'NyckelCryptoError'` and a `code`. */
export { CRYPTO_ERROR_CODES, cryptoError, isCryptoError } from './errors.ts';
export type { CryptoError, CryptoErrorCode } from './errors.ts';

/** Encodings: base64url (no padding), strict UTF-8, Crockford base32. */
export {
  b64uDecode,
  b64uEncode,
  base32Decode,
  base32Encode,
  utf8Decode,
  utf8Encode,
} from './encoding.ts';
export type { Bytes } from './bytes.ts';

/** HKDF-SHA-256 (salt defaults to 32 zero bytes, output 32 bytes). */
export { hkdf, hkdfAesKey } from './hkdf.ts';
export type { HkdfOptions } from './hkdf.ts';

/** Argon2id parameters and the masterKey derivation. */
export {
  DEFAULT_KDF,
  deriveMasterKey,
  KDF_BOUNDS,
  kdfParamsSchema,
  newKdfParams,
  parseKdfParams,
} from './kdf.ts';
export type { KdfCost, KdfParams } from './kdf.ts';

/** Envelopes (every ciphertext) and AES-256-GCM with purpose/binding/kid AAD. */
export {
  aad,
  envelopeSchema,
  MAX_ENVELOPE_BYTES,
  MAX_PLAINTEXT_BYTES,
  openEnvelope,
  parseEnvelope,
  PURPOSES,
  sealEnvelope,
} from './envelope.ts';
export type {
  AadContext,
  EciesEnvelope,
  Envelope,
  KidExpectation,
  OpenContext,
  Purpose,
  SymmetricEnvelope,
} from './envelope.ts';

/** Plaintexts larger than one envelope, sealed in bound parts. */
export { openParts, sealParts } from './parts.ts';
export type { PartsContext } from './parts.ts';

/** Key ids and AAD bindings. */
export { binding, kid, kidGeneration } from './ids.ts';

/** ECIES (ECDH-ES+A256GCM) to a P-256 public key. */
export { eciesOpen, eciesSeal } from './ecies.ts';
export type { EciesContext } from './ecies.ts';

/** P-256 public keys and fingerprints. */
export { fingerprint, importPublicKey } from './p256.ts';

/** Recovery codes. */
export {
  deriveRecoverySecrets,
  formatRecoveryCode,
  generateRecoveryCode,
  parseRecoveryCode,
} from './recovery.ts';
export type { RecoverySecrets } from './recovery.ts';

/** Account keys: derivation, registration, login, password change, recovery. */
export {
  createAccountKeys,
  deriveAccountSecrets,
  recoverAccount,
  rewrapUserKey,
  unlockAccount,
  unlockPrivateKey,
  unlockWithRecovery,
} from './keys.ts';
export type {
  AccountSecrets,
  NewAccountKeys,
  RecoveredAccount,
  RecoveryPackage,
  UnlockedAccount,
} from './keys.ts';

/** Organisation keys, links and client labels. */
export {
  newLinkSecrets,
  newOrgKey,
  openClientLabel,
  openLink,
  orgLinkSchema,
  sealClientLabel,
  sealLink,
  unwrapOrgKey,
  wrapOrgKeyForMember,
} from './org.ts';
export type { NewOrgKey, OrgLink, OrgMember, UnwrapOrgKeyInput } from './org.ts';
