import { wrap } from 'comlink';
import type { AccountSecrets, KdfParams } from './core/crypto/index';
import type { KdfWorkerApi } from './core/crypto/kdf-worker-api';

/**
 * Argon2id (64 MiB) in a Web Worker so the page keeps responding. A fresh worker per
 * derivation, terminated afterwards, so its memory and any trace of the password go with it.
 */
export async function deriveInWorker(password: string, kdf: KdfParams): Promise<AccountSecrets> {
  const worker = new Worker(new URL('../../workers/kdf.worker.ts', import.meta.url), {
    type: 'module',
    name: 'kdf',
  });
  try {
    return await wrap<KdfWorkerApi>(worker).deriveAccountSecrets(password, kdf);
  } finally {
    worker.terminate();
  }
}
