import { createTRPCClient, httpBatchLink } from '@trpc/client';
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

/** The finance client never sends credentials of any kind (P5). */
export function createFinanceClient(options: ApiOptions = {}) {
  return createTRPCClient<FinanceRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl ?? ''}/api/finance`,
        // Queries carry the capability too: POST keeps it out of URLs and access logs.
        methodOverride: 'POST',
        fetch: (url, init) => fetch(url, { ...init, credentials: 'omit' }),
      }),
    ],
  });
}
