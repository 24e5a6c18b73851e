import type { TRPCRequestInfo } from '@trpc/server/http';
import { UserFacingError } from '../trpc';
import type { LimiterName } from './rate-limit-config';
import { rateLimitedError } from './rate-limit-errors';
import type { ApiRules } from './rate-limit-rules';
import { addressSubject, type BlockEvent, type RateDecision, type RateLimits } from './rate-limit';
import type { ProcedureOutcome } from './security-signals';

/**
 * Rate limits at the door of one tRPC API. `admit` runs in the API's `createContext`, before
 * any procedure: when one call of a request is over a limit, tRPC answers every call of it
 * with RATE_LIMITED (429, Swedish and English text, `retryAfterSeconds`), so a batch cannot
 * slip extra attempts past a limit. `record` runs in `responseMeta` and counts the failed
 * credential or capability checks of the request under the client's address.
 *
 * The address is known only here (a WeakMap from the request's tRPC info), never to the
 * procedures: the finance context stays free of request data, and nothing here logs it (P5).
 */
export interface ApiRateLimiter {
  admit: (info: TRPCRequestInfo, clientAddress: string | undefined) => Promise<void>;
  record: (info: TRPCRequestInfo | undefined, outcomes: readonly ProcedureOutcome[]) => void;
}

export function createApiRateLimiter(options: {
  limits: RateLimits;
  rules: ApiRules;
  /** Each limiter that refused a call (for `nyckel_rate_limit_hits_total`). */
  onRefused: (limiter: LimiterName) => void;
  /** A `failures` limiter blocked an address (for the log: no address in it). */
  onBlock: (event: BlockEvent) => void;
}): ApiRateLimiter {
  const { limits, rules } = options;
  const addresses = new WeakMap<TRPCRequestInfo, string>();

  const readInput = (call: TRPCRequestInfo['calls'][number]) =>
    // Unreadable input names no subject: the call itself fails to parse.
    call.getRawInput().catch(() => undefined);

  return {
    async admit(info, clientAddress) {
      const address = `address:${addressSubject(clientAddress)}`;
      addresses.set(info, address);
      const decisions: Promise<RateDecision>[] = [];
      for (const call of info.calls) {
        const rule = call.procedure === null ? undefined : rules.callRule(call.path);
        if (!rule) continue;
        if (rule.blockedBy) decisions.push(limits.blocked(rule.blockedBy, address));
        if (rule.perAddress) decisions.push(limits.consume(rule.perAddress, address));
        const perSubject = rule.perSubject;
        if (perSubject) {
          const subject = perSubject.subject(await readInput(call));
          if (subject !== null) decisions.push(limits.consume(perSubject.limiter, subject));
        }
      }
      let retryAfterSeconds = 0;
      for (const decision of await Promise.all(decisions)) {
        if (decision.allowed) continue;
        options.onRefused(decision.limiter);
        retryAfterSeconds = Math.max(retryAfterSeconds, decision.retryAfterSeconds);
      }
      if (retryAfterSeconds > 0) throw rateLimitedError(retryAfterSeconds);
    },

    record(info, outcomes) {
      const address = info === undefined ? undefined : addresses.get(info);
      if (address === undefined) return;
      for (const { reason } of outcomes) {
        const limiter = reason === null ? undefined : rules.failureLimiter(reason);
        if (limiter === undefined) continue;
        void limits.recordFailure(limiter, address).then((event) => {
          if (event) options.onBlock(event);
        });
      }
    },
  };
}

/**
 * `Retry-After` for a response whose errors say when to try again (rate limits, the login
 * lockout, the capability throttle): the longest wait among them, in seconds.
 */
export function retryAfterHeader(errors: readonly unknown[]): Record<string, string> {
  let seconds = 0;
  for (const error of errors) {
    const wait =
      error instanceof UserFacingError ? error.details?.['retryAfterSeconds'] : undefined;
    if (typeof wait === 'number' && Number.isFinite(wait)) seconds = Math.max(seconds, wait);
  }
  return seconds > 0 ? { 'retry-after': String(Math.ceil(seconds)) } : {};
}
