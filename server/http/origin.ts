import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { sendJson } from './respond';

/**
 * CSRF defence for the APIs, on top of JSON-only bodies (a form or a "simple" cross-site
 * request cannot send `application/json` without a CORS preflight, which we never grant) and
 * the SameSite=Strict session cookie: a state-changing request whose `Origin` header names
 * another site is refused.
 *
 * Requests without `Origin` pass. Browsers always send it on cross-origin requests and on
 * every POST, so a cross-site page cannot leave it out; clients that omit it (the CLI, scripts,
 * server-to-server calls) are not browsers and carry no ambient credentials a forged request
 * could ride on: the CLI holds its own cookie jar, finance calls carry their capability.
 */
export type AllowedOrigins =
  | { kind: 'exact'; origins: ReadonlySet<string> }
  /** Bound to every interface without a public origin: the request's own host is the site. */
  | { kind: 'same-host'; scheme: 'http' | 'https' };

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '[::]']);

const isLoopbackHost = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

/**
 * The origins whose pages may call the APIs: `NYCKEL_PUBLIC_ORIGIN` when it is set (always so
 * in production, and required behind a proxy); otherwise the address the server listens on,
 * under each loopback name when that address is a loopback one.
 */
export function allowedOrigins(options: {
  publicOrigin: string;
  listeningUrl: string;
}): AllowedOrigins {
  if (options.publicOrigin !== '') {
    return { kind: 'exact', origins: new Set([new URL(options.publicOrigin).origin]) };
  }
  const listening = new URL(options.listeningUrl);
  const scheme = listening.protocol === 'https:' ? 'https' : 'http';
  if (WILDCARD_HOSTS.has(listening.hostname)) return { kind: 'same-host', scheme };
  if (!isLoopbackHost(listening.hostname)) {
    return { kind: 'exact', origins: new Set([listening.origin]) };
  }
  const port = listening.port === '' ? '' : `:${listening.port}`;
  return {
    kind: 'exact',
    origins: new Set(LOOPBACK_HOSTS.map((host) => new URL(`${scheme}://${host}${port}`).origin)),
  };
}

/** `GET` and `HEAD` change nothing (tRPC queries); everything else must pass the check. */
export const changesState = (method: string | undefined): boolean =>
  method !== 'GET' && method !== 'HEAD';

export type OriginVerdict = { ok: true } | { ok: false; origin: string };

/** Whether the request's `Origin` header (if any) is one of the allowed origins. */
export function checkOrigin(headers: IncomingHttpHeaders, allowed: AllowedOrigins): OriginVerdict {
  const origin = headers.origin;
  if (origin === undefined) return { ok: true };
  if (allowed.kind === 'exact') {
    return allowed.origins.has(origin.toLowerCase()) ? { ok: true } : { ok: false, origin };
  }
  // HTTP/2 carries the host in the :authority pseudo-header.
  const host = headers.host ?? headers[':authority'];
  const own = typeof host === 'string' ? `${allowed.scheme}://${host}`.toLowerCase() : undefined;
  return own !== undefined && origin.toLowerCase() === own ? { ok: true } : { ok: false, origin };
}

/** The 403 answer to a cross-site request, in the shape of the APIs' other refusals. */
export function refuseCrossOrigin(res: ServerResponse): void {
  sendJson(res, 403, {
    error: {
      message:
        'This request came from another website and was refused. Open Nyckel at its own address and try again.',
      messageSv:
        'Begäran kom från en annan webbplats och avvisades. Öppna Nyckel på dess egen adress och försök igen.',
      reason: 'ORIGIN_REFUSED',
    },
  });
}
