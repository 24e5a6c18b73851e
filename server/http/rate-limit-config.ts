import { z } from 'zod';

/**
 * The rate limits (DESIGN §8), part of server/config.ts. Each limiter has a name (also its
 * `limiter` label in `nyckel_rate_limit_hits_total`), what it counts, whose key it counts
 * under, and a default of `points` per `seconds`:
 *
 * - `requests` limiters count every call and refuse the calls over the limit until the
 *   window has passed;
 * - `failures` limiters count failed credential or capability checks; the failure that
 *   reaches the limit blocks the key for `NYCKEL_RATE_LIMIT_BLOCK_SECONDS`, and every
 *   further block within a day lasts twice as long as the one before, at most
 *   `NYCKEL_RATE_LIMIT_BLOCK_MAX_SECONDS`.
 *
 * Keys are client addresses (an IPv6 client by its /64), e-mail addresses, organisation or
 * user ids, always as keyed hashes: neither the memory store nor Redis holds one in clear.
 */
export interface LimiterDefinition {
  kind: 'requests' | 'failures';
  /** Whose attempts are counted: the client address or the account (organisation) named. */
  key: 'address' | 'account' | 'organisation';
  points: number;
  seconds: number;
}

const HOUR = 3600;

export const LIMITER_NAMES = [
  'prelogin_ip',
  'prelogin_account',
  'login_ip',
  'login_failures_ip',
  'register_ip',
  'register_account',
  'reset_ip',
  'reset_account',
  'invite_ip',
  'invite_org',
  'resend_ip',
  'resend_account',
  'capability_failures_ip',
  'create_entity_ip',
] as const;

export type LimiterName = (typeof LIMITER_NAMES)[number];

export const LIMITERS = {
  prelogin_ip: { kind: 'requests', key: 'address', points: 120, seconds: 60 },
  prelogin_account: { kind: 'requests', key: 'account', points: 30, seconds: 60 },
  login_ip: { kind: 'requests', key: 'address', points: 60, seconds: 60 },
  login_failures_ip: { kind: 'failures', key: 'address', points: 30, seconds: 15 * 60 },
  register_ip: { kind: 'requests', key: 'address', points: 30, seconds: HOUR },
  register_account: { kind: 'requests', key: 'account', points: 5, seconds: HOUR },
  reset_ip: { kind: 'requests', key: 'address', points: 30, seconds: HOUR },
  reset_account: { kind: 'requests', key: 'account', points: 10, seconds: HOUR },
  invite_ip: { kind: 'requests', key: 'address', points: 60, seconds: HOUR },
  invite_org: { kind: 'requests', key: 'organisation', points: 100, seconds: 24 * HOUR },
  resend_ip: { kind: 'requests', key: 'address', points: 60, seconds: HOUR },
  resend_account: { kind: 'requests', key: 'account', points: 3, seconds: HOUR },
  capability_failures_ip: { kind: 'failures', key: 'address', points: 50, seconds: 10 * 60 },
  // A bureau importing its clients creates one entity per client (a few hundred at most).
  create_entity_ip: { kind: 'requests', key: 'address', points: 600, seconds: HOUR },
} as const satisfies Record<LimiterName, LimiterDefinition>;

export type RequestLimiterName = {
  [N in LimiterName]: (typeof LIMITERS)[N]['kind'] extends 'requests' ? N : never;
}[LimiterName];
export type FailureLimiterName = Exclude<LimiterName, RequestLimiterName>;

export interface Limit {
  points: number;
  seconds: number;
}

const limitSchema = z.strictObject({
  points: z.number().int().min(1).max(1_000_000),
  seconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * HOUR),
});

const overridesSchema = z.partialRecord(z.enum(LIMITER_NAMES), limitSchema);
export type LimitOverrides = z.infer<typeof overridesSchema>;

const ENTRY = /^([a-z_]+)=(\d{1,7})\/(\d{1,6})$/;

/**
 * `NYCKEL_RATE_LIMITS`: comma-separated `name=points/seconds` entries, e.g.
 * `login_ip=30/60,register_ip=10/3600`; names not listed keep their defaults. Text is read
 * into the overrides object (an object, e.g. the default `{}`, is taken as it is).
 */
const overridesSetting = z.preprocess((value, ctx) => {
  if (typeof value !== 'string') return value;
  const entries: Record<string, Limit> = {};
  for (const entry of value.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const match = ENTRY.exec(entry);
    const name = match?.[1] ?? '';
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry.slice(0, 60)}" is not name=points/seconds (e.g. login_ip=30/60)`,
      });
    } else if (!LIMITER_NAMES.some((known) => known === name)) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown limiter "${name}"; known: ${LIMITER_NAMES.join(', ')}`,
      });
    } else {
      entries[name] = { points: Number(match[2]), seconds: Number(match[3]) };
    }
  }
  return entries;
}, overridesSchema);

export const rateLimitConfigShape = {
  /** Per-limiter overrides of the defaults above; `{}`: every default. */
  rateLimits: overridesSetting,
  /** The first block of a `failures` limiter; consecutive blocks double it. */
  rateLimitBlockSeconds: z.coerce.number().int().min(1).max(86_400),
  /** The longest block. */
  rateLimitBlockMaxSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400),
  /**
   * A Redis server all instances share the counters through (`redis://` or `rediss://`,
   * credentials allowed: a secret, never logged); empty: counters in this process's memory.
   */
  redisUrl: z
    .string()
    .refine(
      (value) => value === '' || /^rediss?:\/\/[^\s]+$/.test(value),
      'must start with redis:// or rediss://',
    ),
};

export type RateLimitConfig = z.infer<z.ZodObject<typeof rateLimitConfigShape>>;

export const RATE_LIMIT_CONFIG_DEFAULTS = {
  rateLimits: {},
  rateLimitBlockSeconds: 60,
  rateLimitBlockMaxSeconds: 3600,
  redisUrl: '',
} as const satisfies RateLimitConfig;

export const RATE_LIMIT_CONFIG_ENV = {
  rateLimits: 'NYCKEL_RATE_LIMITS',
  rateLimitBlockSeconds: 'NYCKEL_RATE_LIMIT_BLOCK_SECONDS',
  rateLimitBlockMaxSeconds: 'NYCKEL_RATE_LIMIT_BLOCK_MAX_SECONDS',
  redisUrl: 'NYCKEL_REDIS_URL',
} as const satisfies Record<keyof RateLimitConfig, string>;

export interface RateLimitConfigIssue {
  path: keyof RateLimitConfig;
  message: string;
}

/** Cross-field checks; each issue names the setting to fix. */
export function rateLimitConfigIssues(config: RateLimitConfig): RateLimitConfigIssue[] {
  return config.rateLimitBlockMaxSeconds < config.rateLimitBlockSeconds
    ? [
        {
          path: 'rateLimitBlockMaxSeconds',
          message: `must be at least ${RATE_LIMIT_CONFIG_ENV.rateLimitBlockSeconds} (${config.rateLimitBlockSeconds})`,
        },
      ]
    : [];
}

/** A limiter's limit: the configured override, else its default. */
export const limitOf = (overrides: LimitOverrides, name: LimiterName): Limit =>
  overrides[name] ?? { points: LIMITERS[name].points, seconds: LIMITERS[name].seconds };
