import { TRPCClientError } from '@trpc/client';

/**
 * A refusal from the server's HTTP layer itself, before any procedure ran (the API deadline,
 * a body over the limit, a foreign origin): not a tRPC error, so the tRPC client reports it
 * as "Unable to transform response" and keeps the body in `meta.responseJSON`.
 */
interface TransportRefusal {
  message: string;
  messageSv?: string;
  reason?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function transportRefusal(error: TRPCClientError<never>): TransportRefusal | undefined {
  const body = isRecord(error.meta) ? error.meta['responseJSON'] : undefined;
  const refusal = isRecord(body) ? body['error'] : undefined;
  if (!isRecord(refusal) || typeof refusal['message'] !== 'string') return undefined;
  const text = (key: string) =>
    typeof refusal[key] === 'string' ? (refusal[key] as string) : undefined;
  return { message: refusal['message'], messageSv: text('messageSv'), reason: text('reason') };
}

interface ErrorData {
  messageSv?: string;
  reason?: string;
  details?: { retryAfterSeconds?: unknown };
}

const dataOf = (error: TRPCClientError<never>): ErrorData =>
  isRecord(error.data) ? (error.data satisfies Record<string, unknown> as ErrorData) : {};

/** "(try again in 2 min)" for a rate-limit refusal that says when; empty otherwise. */
function retryHint(seconds: unknown, locale: string | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return '';
  const en = locale === 'en';
  const minutes = Math.ceil(seconds / 60);
  const wait =
    seconds < 90
      ? `${Math.ceil(seconds)} s`
      : `${minutes.toLocaleString(en ? 'en-GB' : 'sv-SE')} min`;
  return en ? ` (try again in ${wait})` : ` (försök igen om ${wait})`;
}

/**
 * A sentence for the user from any failure: the server's own Swedish or English message
 * for API errors and HTTP-layer refusals (with when to retry after a rate limit), null for
 * network failures (the caller shows its connection hint), the fallback otherwise.
 */
export function userMessage(error: unknown, locale: string | null | undefined, fallback: string) {
  if (!(error instanceof TRPCClientError)) return fallback;
  const refusal = transportRefusal(error);
  if (refusal) return locale === 'en' ? refusal.message : (refusal.messageSv ?? refusal.message);
  if (error.message === 'Failed to fetch' || error.cause?.name === 'TypeError') return null;
  const data = dataOf(error);
  const message = locale === 'en' ? error.message : (data.messageSv ?? error.message);
  return `${message}${data.reason === 'RATE_LIMITED' ? retryHint(data.details?.retryAfterSeconds, locale) : ''}`;
}

/** The stable reason code of an API error (`LOGIN_FAILED`, `LOCKED`, `DEADLINE_EXCEEDED`, …), if any. */
export const errorReason = (error: unknown): string | undefined =>
  error instanceof TRPCClientError
    ? (transportRefusal(error)?.reason ?? dataOf(error).reason ?? undefined)
    : undefined;
