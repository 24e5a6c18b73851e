/**
 * Recovery codes: 20 random bytes (160 bit) shown as 32 Crockford base32 characters in 8
 * groups of 4. They derive `recoveryWrapKey` (wraps userKey) and `recoveryAuthKey` (the server
 * stores its Argon2id hash) with HKDF.
 */
import { randomBytes, zeroize, type Bytes } from './bytes.ts';
import {
  b64uEncode,
  base32DecodeOrNull,
  base32Encode,
  groupChars,
  normalizeBase32,
} from './encoding.ts';
import { cryptoError } from './errors.ts';
import { hkdf, hkdfAesKey } from './hkdf.ts';

export const RECOVERY_CODE_BYTES = 20;
export const RECOVERY_WRAP_INFO = 'nyckel:recovery-wrap:v1';
export const RECOVERY_AUTH_INFO = 'nyckel:recovery-auth:v1';

/** `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX` for 20 bytes. */
export const formatRecoveryCode = (bytes: Uint8Array): string => {
  if (bytes.length !== RECOVERY_CODE_BYTES) {
    throw cryptoError('INVALID_INPUT', 'recovery code must be 20 bytes');
  }
  return groupChars(base32Encode(bytes), 4);
};

/** A new random recovery code, formatted for display. */
export const generateRecoveryCode = (): string => {
  const bytes = randomBytes(RECOVERY_CODE_BYTES);
  try {
    return formatRecoveryCode(bytes);
  } finally {
    zeroize(bytes);
  }
};

/**
 * Parses user input leniently: case-insensitive, hyphens and whitespace ignored, `O`→`0`,
 * `I`/`L`→`1`. Throws `INVALID_RECOVERY_CODE` unless exactly 32 valid characters remain.
 * The caller should zero the result.
 */
export const parseRecoveryCode = (input: string): Bytes => {
  const text = normalizeBase32(input);
  const bytes = text.length === 32 ? base32DecodeOrNull(text) : null;
  if (bytes === null || bytes.length !== RECOVERY_CODE_BYTES) {
    throw cryptoError('INVALID_RECOVERY_CODE', 'invalid recovery code');
  }
  return bytes;
};

export interface RecoverySecrets {
  /** b64u `recoveryAuthKey`, sent to `recoveryStart` / in `register.recovery.authKey`. */
  authKey: string;
  /** Non-extractable AES-256-GCM `recoveryWrapKey`. */
  wrapKey: CryptoKey;
}

/** Derives both recovery keys from a (formatted or typed) recovery code. */
export const deriveRecoverySecrets = async (code: string): Promise<RecoverySecrets> => {
  const codeBytes = parseRecoveryCode(code);
  try {
    const auth = await hkdf(codeBytes, RECOVERY_AUTH_INFO);
    const authKey = b64uEncode(auth);
    zeroize(auth);
    return { authKey, wrapKey: await hkdfAesKey(codeBytes, RECOVERY_WRAP_INFO) };
  } finally {
    zeroize(codeBytes);
  }
};
