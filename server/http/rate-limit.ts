import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import {
  limitOf,
  type FailureLimiterName,
  type LimiterName,
  type LimitOverrides,
  type RequestLimiterName,
} from './rate-limit-config';

/**
 * The counting behind every rate limit (names and defaults: ./rate-limit-config.ts), on
 * rate-limiter-flexible, in this process's memory or in a shared store (./rate-limit-redis.ts).
 * Which calls are counted under which limiter is ./rate-limit-rules.ts.
 */

export type RateDecision =
  { allowed: true } | { allowed: false; limiter: LimiterName; retryAfterSeconds: number };

export const ALLOWED: RateDecision = { allowed: true };

/** What happened when a `failures` limiter blocked a key (for the log: no key, no address). */
export interface BlockEvent {
  limiter: FailureLimiterName;
  /** 1 for the first block of this key within a day, 2 for the next, … */
  block: number;
  seconds: number;
}

export interface RateLimits {
  /** Counts one call under a `requests` limiter; refused once the window's points are spent. */
  consume: (limiter: RequestLimiterName, subject: string) => Promise<RateDecision>;
  /** Whether a `failures` limiter currently blocks the subject (counts nothing). */
  blocked: (limiter: FailureLimiterName, subject: string) => Promise<RateDecision>;
  /** Counts one failure; the one that reaches the limit blocks the subject. */
  recordFailure: (limiter: FailureLimiterName, subject: string) => Promise<BlockEvent | null>;
}

export interface BlockPolicy {
  firstSeconds: number;
  maxSeconds: number;
}

/** A key whose last block lies this long back starts again at the first, shortest block. */
export const BLOCK_MEMORY_SECONDS = 24 * 60 * 60;

/** The n-th consecutive block (n ≥ 1) lasts first × 2^(n−1) seconds, at most max. */
export const blockSeconds = (n: number, policy: BlockPolicy): number =>
  Math.min(policy.firstSeconds * 2 ** Math.min(Math.max(n, 1) - 1, 30), policy.maxSeconds);

/** Makes one limiter in some store: rate-limiter-flexible's options, nothing else. */
export type LimiterStore = (options: {
  keyPrefix: string;
  points: number;
  duration: number;
}) => RateLimiterAbstract;

export const memoryStore: LimiterStore = (options) => new RateLimiterMemory(options);

/**
 * The key a client address is counted under: an IPv4 address (also IPv4-mapped IPv6) as is,
 * an IPv6 address by its /64 (one subscriber usually holds a whole /64, so counting single
 * addresses would let a client walk around its limit).
 */
export function addressSubject(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return 'unknown';
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Subjects (addresses, e-mail addresses, ids) become keyed hashes before they reach a store,
 * so neither memory dumps nor a shared Redis hold one in clear. The key must be the same for
 * every instance sharing a store.
 */
export const subjectHasher = (secret: Buffer) => {
  // A key of its own, derived from the secret it is given, for this one purpose.
  const key = createHmac('sha256', secret).update('nyckel:rate-limit-subjects:v1').digest();
  return (subject: string): string =>
    createHmac('sha256', key).update(subject, 'utf8').digest('base64url').slice(0, 32);
};

const secondsUntil = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Builds every limiter in `store`. A store that fails (Redis down without its memory
 * insurance) lets the call through and reports it: the account lockout and the capability
 * throttle, which live in the databases and in the finance process, still hold.
 */
export function createRateLimits(options: {
  overrides: LimitOverrides;
  block: BlockPolicy;
  store: LimiterStore;
  hash: (subject: string) => string;
  /** A store failure, reported at most once a minute however many calls meet it. */
  onStoreError?: (limiter: LimiterName, error: unknown) => void;
  now?: () => number;
}): RateLimits {
  const now = options.now ?? Date.now;
  let lastStoreErrorAt = -Infinity;
  const reportStoreError = (limiter: LimiterName, error: unknown) => {
    if (now() - lastStoreErrorAt < 60_000) return;
    lastStoreErrorAt = now();
    options.onStoreError?.(limiter, error);
  };
  const limiters = new Map<LimiterName, RateLimiterAbstract>();
  const limiterOf = (name: LimiterName) => {
    let limiter = limiters.get(name);
    if (!limiter) {
      const { points, seconds } = limitOf(options.overrides, name);
      limiter = options.store({ keyPrefix: `nyckel:rl:${name}`, points, duration: seconds });
      limiters.set(name, limiter);
    }
    return limiter;
  };
  // How many times each key of a `failures` limiter was blocked within the last day.
  const blockCounts = new Map<FailureLimiterName, RateLimiterAbstract>();
  const blockCountOf = (name: FailureLimiterName) => {
    let counter = blockCounts.get(name);
    if (!counter) {
      counter = options.store({
        keyPrefix: `nyckel:rl:${name}:blocks`,
        points: 1_000_000,
        duration: BLOCK_MEMORY_SECONDS,
      });
      blockCounts.set(name, counter);
    }
    return counter;
  };
  const storeFailed = (limiter: LimiterName, error: unknown): RateDecision => {
    reportStoreError(limiter, error);
    return ALLOWED;
  };

  return {
    async consume(name, subject) {
      try {
        await limiterOf(name).consume(options.hash(subject));
        return ALLOWED;
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) return storeFailed(name, refusal);
        return { allowed: false, limiter: name, retryAfterSeconds: secondsUntil(refusal) };
      }
    },

    async blocked(name, subject) {
      try {
        const state = await limiterOf(name).get(options.hash(subject));
        const { points } = limitOf(options.overrides, name);
        return state !== null && state.consumedPoints > points && state.msBeforeNext > 0
          ? { allowed: false, limiter: name, retryAfterSeconds: secondsUntil(state) }
          : ALLOWED;
      } catch (error) {
        return storeFailed(name, error);
      }
    },

    async recordFailure(name, subject) {
      const key = options.hash(subject);
      const { points } = limitOf(options.overrides, name);
      try {
        const limiter = limiterOf(name);
        const state = await limiter.penalty(key, 1);
        // Only the failure that reaches the limit blocks; failures during a block extend
        // nothing (the block already refuses every check).
        if (state.consumedPoints !== points) return null;
        const count = await blockCountOf(name).penalty(key, 1);
        const seconds = blockSeconds(count.consumedPoints, options.block);
        await limiter.block(key, seconds);
        return { limiter: name, block: count.consumedPoints, seconds };
      } catch (error) {
        reportStoreError(name, error);
        return null;
      }
    },
  };
}
