import { TRPCClientError } from '@trpc/client';
import { isCryptoError } from './core/crypto/index';

/**
 * A sentence for the user from any failure: the server's own Swedish or English message
 * for API errors, a connection hint for network failures, the fallback otherwise.
 */
export function userMessage(error: unknown, locale: string | null | undefined, fallback: string) {
  if (error instanceof TRPCClientError) {
    const data = error.data as { messageSv?: string } | undefined;
    if (error.message === 'Failed to fetch' || error.cause?.name === 'TypeError') return null;
    return locale === 'en' ? error.message : (data?.messageSv ?? error.message);
  }
  if (isCryptoError(error)) return fallback;
  return fallback;
}

/** The stable reason code of an API error (`LOGIN_FAILED`, `LOCKED`, …), if any. */
export const errorReason = (error: unknown): string | undefined =>
  error instanceof TRPCClientError
    ? ((error.data as { reason?: string } | undefined)?.reason ?? undefined)
    : undefined;
