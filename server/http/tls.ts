import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureVersion } from 'node:tls';
import type { HttpConfig } from './http-config';

/** Nothing older than TLS 1.2 is offered or accepted. */
export const TLS_MIN_VERSION: SecureVersion = 'TLSv1.2';

export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
}

export type TlsSetup =
  { ok: true; credentials: TlsCredentials | null } | { ok: false; message: string };

const readPem = (path: string, what: string): Buffer | string => {
  try {
    return readFileSync(path);
  } catch (error) {
    const code =
      error instanceof Error && 'code' in error && typeof error.code === 'string'
        ? error.code
        : 'unreadable';
    return `${what} ${path} cannot be read (${code})`;
  }
};

/**
 * Reads the certificate and key files at start, so a wrong path or a key that does not fit
 * the certificate stops the server with a clear message instead of failing each handshake.
 * No TLS configured: `credentials` is null.
 */
export function readTlsCredentials(config: Pick<HttpConfig, 'tlsCert' | 'tlsKey'>): TlsSetup {
  if (config.tlsCert === '' || config.tlsKey === '') return { ok: true, credentials: null };
  const cert = readPem(config.tlsCert, 'NYCKEL_TLS_CERT');
  if (typeof cert === 'string') return { ok: false, message: cert };
  const key = readPem(config.tlsKey, 'NYCKEL_TLS_KEY');
  if (typeof key === 'string') return { ok: false, message: key };
  try {
    createSecureContext({ cert, key, minVersion: TLS_MIN_VERSION });
  } catch (error) {
    // OpenSSL's reason only (e.g. "key values mismatch"), never file contents.
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'invalid';
    return { ok: false, message: `NYCKEL_TLS_CERT / NYCKEL_TLS_KEY are not usable: ${reason}` };
  }
  return { ok: true, credentials: { cert, key } };
}
