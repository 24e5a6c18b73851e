import { failureFrom, type ErrorText } from '../trpc';

/** The one error every rate limit answers with, on both APIs (`details.retryAfterSeconds`). */
export const RATE_LIMIT_ERRORS = {
  RATE_LIMITED: {
    code: 'TOO_MANY_REQUESTS',
    en: 'Too many attempts from here. Wait a while and try again.',
    sv: 'För många försök härifrån. Vänta en stund och försök igen.',
  },
} as const satisfies Record<string, ErrorText>;

export type RateLimitErrorReason = keyof typeof RATE_LIMIT_ERRORS;

export const failRateLimited = failureFrom<RateLimitErrorReason>(RATE_LIMIT_ERRORS);

/** The refusal of a call over a limit; the limiter's name stays on the server (metrics). */
export const rateLimitedError = (retryAfterSeconds: number) =>
  failRateLimited('RATE_LIMITED', { retryAfterSeconds });
