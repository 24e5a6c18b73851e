/**
 * What `workers/kdf.worker.ts` exposes over comlink. Kept free of worker globals so Node tests
 * and the CLI can call it directly. Results are structured-cloneable: strings and CryptoKeys
 * (non-extractable keys survive postMessage and stay non-extractable).
 */
import { b64uEncode } from './encoding.ts';
import { randomBytes, zeroize } from './bytes.ts';
import { deriveAccountSecrets, type AccountSecrets } from './keys.ts';
import { deriveMasterKey, KDF_SALT_BYTES, parseKdfParams, type KdfCost } from './kdf.ts';

export const kdfWorkerApi = {
  /** `{ authKey, wrapKey }` from the password (Argon2id + HKDF). */
  async deriveAccountSecrets(password: string, kdf: unknown): Promise<AccountSecrets> {
    return deriveAccountSecrets(password, parseKdfParams(kdf));
  },

  /** Milliseconds one Argon2id derivation with `cost` takes here (for choosing parameters). */
  async timeKdf(cost: KdfCost): Promise<number> {
    const kdf = parseKdfParams({ ...cost, salt: b64uEncode(randomBytes(KDF_SALT_BYTES)) });
    const start = performance.now();
    zeroize(await deriveMasterKey('nyckel-kdf-benchmark', kdf));
    return performance.now() - start;
  },
};

export type KdfWorkerApi = typeof kdfWorkerApi;
