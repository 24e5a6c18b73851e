/**
 * KDF Web Worker (comlink). Thin shell around src/lib/core/crypto/kdf-worker-api.ts so
 * Argon2id (64 MiB, ~1 s) never blocks the UI thread.
 *
 * UI usage:
 *   const kdf = wrap<KdfWorkerApi>(new Worker(new URL('./kdf.worker.ts', import.meta.url), { type: 'module' }));
 *   const { authKey, wrapKey } = await kdf.deriveAccountSecrets(password, params);
 *   const ms = await kdf.timeKdf({ alg: 'argon2id', m: 65536, t: 3, p: 1 });
 */
import '../src/lib/zod-jitless.ts';
import { expose } from 'comlink';
import { kdfWorkerApi } from '../src/lib/core/crypto/kdf-worker-api.ts';

export type { KdfWorkerApi } from '../src/lib/core/crypto/kdf-worker-api.ts';

expose(kdfWorkerApi);
