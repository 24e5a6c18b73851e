/**
 * ECIES to a P-256 public key (`ECDH-ES+A256GCM` envelopes):
 * `kek = HKDF(ECDH(ephemeralPrivate, recipientPublic), salt = epk ‖ recipientPublic,
 * info "nyckel:ecies:v1")`, then AES-256-GCM with the usual AAD and kid `pub:<fingerprint>`.
 */
import { concatBytes, zeroize, type Bytes } from './bytes.ts';
import { b64uDecode } from './encoding.ts';
import {
  aad,
  aesGcmDecrypt,
  aesGcmEncrypt,
  checkKid,
  ENVELOPE_VERSION,
  parseEnvelope,
  type EciesEnvelope,
  type Purpose,
} from './envelope.ts';
import { cryptoError } from './errors.ts';
import { hkdfAesKey } from './hkdf.ts';
import { kid } from './ids.ts';
import {
  decodePublicKey,
  ecdh,
  exportPublicKey,
  fingerprint,
  generateKeyPair,
  importPublicKey,
} from './p256.ts';

export const ECIES_INFO = 'nyckel:ecies:v1';

export interface EciesContext {
  purpose: Purpose;
  binding: string;
}

const deriveKek = async (shared: Bytes, epk: Bytes, recipient: Bytes): Promise<CryptoKey> => {
  try {
    return await hkdfAesKey(shared, ECIES_INFO, { salt: concatBytes(epk, recipient) });
  } finally {
    zeroize(shared);
  }
};

/** Encrypts `plaintext` to `recipientPublicKey` (b64u raw point). */
export const eciesSeal = async (
  recipientPublicKey: string,
  plaintext: Bytes,
  { purpose, binding }: EciesContext,
): Promise<EciesEnvelope> => {
  const recipientRaw = decodePublicKey(recipientPublicKey);
  const recipient = await importPublicKey(recipientPublicKey);
  const ephemeral = await generateKeyPair(false);
  const epk = await exportPublicKey(ephemeral.publicKey);
  const kek = await deriveKek(
    await ecdh(ephemeral.privateKey, recipient),
    b64uDecode(epk),
    recipientRaw,
  );
  const keyId = kid.pub(await fingerprint(recipientPublicKey));
  const { iv, ct } = await aesGcmEncrypt(kek, plaintext, aad({ purpose, binding, kid: keyId }));
  return { v: ENVELOPE_VERSION, alg: 'ECDH-ES+A256GCM', kid: keyId, epk, iv, ct };
};

/**
 * Decrypts an `ECDH-ES+A256GCM` envelope with the recipient's private key. `publicKey` is the
 * recipient's own public key (b64u): it is part of the HKDF salt and must match the envelope's
 * kid (`KID_MISMATCH` otherwise).
 */
export const eciesOpen = async (
  privateKey: CryptoKey,
  publicKey: string,
  envelope: unknown,
  { purpose, binding }: EciesContext,
): Promise<Bytes> => {
  const parsed = parseEnvelope(envelope);
  if (parsed.alg !== 'ECDH-ES+A256GCM') {
    throw cryptoError('INVALID_ENVELOPE', 'expected ECDH-ES+A256GCM');
  }
  checkKid(parsed.kid, kid.pub(await fingerprint(publicKey)));
  const epkRaw = b64uDecode(parsed.epk);
  const epk = await importPublicKey(parsed.epk).catch(() => {
    throw cryptoError('DECRYPT_FAILED', 'decryption failed');
  });
  const shared = await ecdh(privateKey, epk).catch(() => {
    throw cryptoError('DECRYPT_FAILED', 'decryption failed');
  });
  const kek = await deriveKek(shared, epkRaw, decodePublicKey(publicKey));
  return aesGcmDecrypt(kek, parsed, aad({ purpose, binding, kid: parsed.kid }));
};
