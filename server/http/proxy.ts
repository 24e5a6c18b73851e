import type { IncomingHttpHeaders } from 'node:http';

/**
 * What a request says about its client, believed only as far as the deployment allows.
 * `X-Forwarded-*` headers are anyone's to write: they count only with `NYCKEL_TRUST_PROXY`,
 * which says that every request comes through one reverse proxy that sets them (and that
 * nobody can reach the server around it). With one proxy, the entry it appended is the last.
 */
export interface TransportTrust {
  /** The listener itself terminates TLS. */
  listenerIsTls: boolean;
  trustProxy: boolean;
}

/** The last entry of a comma-separated forwarding header: the one our proxy wrote. */
function lastForwarded(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value;
  const last = joined?.split(',').at(-1)?.trim();
  return last ? last : undefined;
}

/** Whether the browser's connection was HTTPS (to us, or to the trusted proxy). */
export function requestIsHttps(headers: IncomingHttpHeaders, trust: TransportTrust): boolean {
  if (trust.listenerIsTls) return true;
  if (!trust.trustProxy) return false;
  return lastForwarded(headers['x-forwarded-proto'])?.toLowerCase() === 'https';
}

/**
 * The client's address: the socket's peer, or behind a trusted proxy the address the proxy
 * appended to `X-Forwarded-For`. For rate limits and the like; never logged for finance calls.
 */
export function clientAddress(
  headers: IncomingHttpHeaders,
  socketAddress: string | undefined,
  trust: TransportTrust,
): string | undefined {
  if (!trust.trustProxy) return socketAddress;
  return lastForwarded(headers['x-forwarded-for']) ?? socketAddress;
}
