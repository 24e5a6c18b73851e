import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { IdentityRouter } from '../../../server/identity/router';
import type { FinanceRouter } from '../../../server/finance/router';

/**
 * Two separate clients for the two APIs. The identity client sends the session cookie
 * (its path is /api/identity); the finance client never sends credentials (P5).
 */
export const identityApi = createTRPCClient<IdentityRouter>({
  links: [
    httpBatchLink({
      url: '/api/identity',
      fetch: (url, init) => fetch(url, { ...init, credentials: 'same-origin' }),
    }),
  ],
});

export const financeApi = createTRPCClient<FinanceRouter>({
  links: [
    httpBatchLink({
      url: '/api/finance',
      fetch: (url, init) => fetch(url, { ...init, credentials: 'omit' }),
    }),
  ],
});
