import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import type { IdentityRouter } from '../../../../server/identity/router';
import type { FinanceRouter } from '../../../../server/finance/router';

/**
 * Typed API clients shared by the app (browser) and the CLI and tests (Node 20). In the
 * browser the origin is the page's and the browser keeps the session cookie; in Node a
 * small cookie jar does, because Node's fetch has none.
 */
export interface ApiOptions {
  /** e.g. `http://127.0.0.1:8080`; empty in the browser (same origin). */
  baseUrl?: string;
}

export type IdentityClient = ReturnType<typeof createIdentityClient>;
export type FinanceClient = ReturnType<typeof createFinanceClient>;

const inBrowser = () => typeof window !== 'undefined' && typeof document !== 'undefined';

/** Keeps the identity session cookie between calls when running outside a browser. */
function cookieJarFetch(): typeof fetch {
  let cookie: string | undefined;
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      if (!pair) continue;
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(setCookie);
      cookie = expired ? undefined : pair.trim();
    }
    return response;
  };
}

export function createIdentityClient(options: ApiOptions = {}) {
  const browser = inBrowser();
  const jarFetch = browser ? undefined : cookieJarFetch();
  return createTRPCClient<IdentityRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl ?? ''}/api/identity`,
        fetch: (url, init) =>
          browser
            ? fetch(url, { ...init, credentials: 'same-origin' })
            : jarFetch!(url, init as RequestInit),
      }),
    ],
  });
}

/**
 * The finance client never sends credentials of any kind (P5). Queries carry the capability
 * too: POST keeps it out of URLs and access logs.
 *
 * `benchmark` is sent on its own, not batched: a batch waits a timer tick before it leaves and
 * is answered when its slowest call is done, and the benchmark (≈ 60 kB) is the slowest call.
 * At 200 000 companies over loopback that took its p50 from 6.2 to 4.4 ms (issue #6).
 */
export function createFinanceClient(options: ApiOptions = {}) {
  const url = `${options.baseUrl ?? ''}/api/finance`;
  const withoutCredentials: typeof fetch = (input, init) =>
    fetch(input, { ...init, credentials: 'omit' });
  return createTRPCClient<FinanceRouter>({
    links: [
      splitLink({
        condition: (op) => op.path === 'benchmark',
        true: httpLink({ url, methodOverride: 'POST', fetch: withoutCredentials }),
        false: httpBatchLink({ url, methodOverride: 'POST', fetch: withoutCredentials }),
      }),
    ],
  });
}
