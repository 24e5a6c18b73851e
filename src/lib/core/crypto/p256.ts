/**
 * P-256 ECDH helpers: key pairs, raw public keys (65-byte uncompressed point, b64u) and the
 * fingerprint shown to users for out-of-band comparison.
 */
import { equalBytes, zeroize, type Bytes } from './bytes.ts';
import { b64uDecodeOrNull, b64uEncode, base32Encode, groupChars } from './encoding.ts';
import { cryptoError } from './errors.ts';

export const P256 = { name: 'ECDH', namedCurve: 'P-256' } as const satisfies EcKeyImportParams;
export const FINGERPRINT_BYTES = 10;

/** Decodes and validates a b64u raw uncompressed P-256 point. */
export const decodePublicKey = (publicKey: string): Bytes => {
  const raw = b64uDecodeOrNull(publicKey);
  if (raw === null || raw.length !== 65 || raw[0] !== 0x04) {
    throw cryptoError('INVALID_INPUT', 'invalid public key');
  }
  return raw;
};

/** Imports a b64u raw public key; WebCrypto rejects points that are not on the curve. */
export const importPublicKey = async (publicKey: string): Promise<CryptoKey> => {
  const raw = decodePublicKey(publicKey);
  try {
    return await globalThis.crypto.subtle.importKey('raw', raw, P256, true, []);
  } catch {
    throw cryptoError('INVALID_INPUT', 'invalid public key');
  }
};

export const exportPublicKey = async (key: CryptoKey): Promise<string> =>
  b64uEncode(new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', key)));

/** ECDH shared secret (32 bytes, the x coordinate). */
export const ecdh = async (privateKey: CryptoKey, publicKey: CryptoKey): Promise<Bytes> =>
  new Uint8Array(
    await globalThis.crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256),
  );

/** Generates a key pair; the private key is extractable only if asked (for PKCS#8 export). */
export const generateKeyPair = (extractable: boolean): Promise<CryptoKeyPair> =>
  globalThis.crypto.subtle.generateKey(P256, extractable, ['deriveBits']);

/** Imports a PKCS#8 private key as non-extractable. */
export const importPrivateKey = async (pkcs8: Bytes): Promise<CryptoKey> => {
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', pkcs8, P256, false, ['deriveBits']);
  } catch {
    throw cryptoError('KEY_MISMATCH', 'invalid private key');
  }
};

/**
 * Proves that `privateKey` belongs to `publicKey` without exporting it: an ephemeral key
 * agrees on the same secret with both. Throws `KEY_MISMATCH`.
 */
export const assertKeyPair = async (privateKey: CryptoKey, publicKey: string): Promise<void> => {
  const pub = await importPublicKey(publicKey);
  const probe = await generateKeyPair(false);
  const a = await ecdh(privateKey, probe.publicKey);
  const b = await ecdh(probe.privateKey, pub);
  const same = equalBytes(a, b);
  zeroize(a, b);
  if (!same) throw cryptoError('KEY_MISMATCH', 'private key does not match the public key');
};

/**
 * First 10 bytes of SHA-256(raw public key) in Crockford base32, as `XXXX-XXXX-XXXX-XXXX`.
 */
export const fingerprint = async (publicKey: string): Promise<string> => {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', decodePublicKey(publicKey));
  return groupChars(base32Encode(new Uint8Array(digest, 0, FINGERPRINT_BYTES)), 4);
};
