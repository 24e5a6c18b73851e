import { TRPCClientError } from '@trpc/client';

/**
 * True when an API call failed because the server could not be reached (the browser is
 * offline, the connection was refused, or something other than our server answered), as
 * opposed to the server answering with an error. Only then may a cached answer stand in.
 */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return true;
  // tRPC fills `data` from our server's error body; a failed fetch or a foreign answer has none.
  return error.data === undefined || error.data === null;
}
