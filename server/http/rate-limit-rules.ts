import type { AnyTRPCProcedure } from '@trpc/server';
import { z } from 'zod';
import type { FinanceErrorReason } from '../finance/errors';
import type { FinanceRouter } from '../finance/router';
import type { IdentityErrorReason } from '../identity/errors';
import type { IdentityRouter } from '../identity/router';
import { emailSchema, uuidSchema } from '../identity/validation';
import type { FailureLimiterName, RequestLimiterName } from './rate-limit-config';

/**
 * Which calls count under which limiter (./rate-limit-config.ts), read where the HTTP layer
 * meets the two routers, so neither server/identity nor server/finance knows about rate
 * limits, and the finance API never sees the client address it is counted under (P5).
 */
export interface CallRule {
  /** Counts every call under the client's address. */
  perAddress?: RequestLimiterName;
  /** Counts every call under what it names (an account, an organisation), read from its input. */
  perSubject?: { limiter: RequestLimiterName; subject: (input: unknown) => string | null };
  /** Refuses the call while this `failures` limiter blocks the client's address. */
  blockedBy?: FailureLimiterName;
}

export interface ApiRules {
  /** The rule of a procedure path (`org.invite`), if any. */
  callRule: (path: string) => CallRule | undefined;
  /** The `failures` limiter a call's error reason counts under, if any. */
  failureLimiter: (reason: string) => FailureLimiterName | undefined;
}

/** Every procedure path of a router, nested routers joined with dots (`org.links.add`). */
type ProcedurePaths<TRecord, TPrefix extends string = ''> = {
  [K in keyof TRecord & string]: TRecord[K] extends AnyTRPCProcedure
    ? `${TPrefix}${K}`
    : ProcedurePaths<TRecord[K], `${TPrefix}${K}.`>;
}[keyof TRecord & string];

export type IdentityProcedurePath = ProcedurePaths<IdentityRouter['_def']['record']>;
export type FinanceProcedurePath = ProcedurePaths<FinanceRouter['_def']['record']>;

/**
 * Subjects are read with the procedures' own schemas, so `Anna@Example.se ` and
 * `anna@example.se` are one account here exactly as they are one account there. Input the
 * procedure would refuse names no subject: the call fails its validation instead.
 */
const subjectReader =
  <T>(schema: z.ZodType<T>, subjectOf: (value: T) => string) =>
  (input: unknown): string | null => {
    const parsed = schema.safeParse(input);
    return parsed.success ? subjectOf(parsed.data) : null;
  };

const byEmail = subjectReader(z.object({ email: emailSchema }), (v) => `account:${v.email}`);
const byOrgId = subjectReader(z.object({ orgId: uuidSchema }), (v) => `org:${v.orgId}`);
const byUserId = subjectReader(z.object({ userId: uuidSchema }), (v) => `user:${v.userId}`);

/** Identity: the procedures that mail, reveal KDF salts or check credentials. */
const IDENTITY_CALLS = {
  preLogin: {
    perAddress: 'prelogin_ip',
    perSubject: { limiter: 'prelogin_account', subject: byEmail },
  },
  // Per account, logins are limited by the exponential lockout of server/identity/lockout.ts.
  login: { perAddress: 'login_ip', blockedBy: 'login_failures_ip' },
  changePassword: { blockedBy: 'login_failures_ip' },
  recoveryStart: {
    perAddress: 'reset_ip',
    perSubject: { limiter: 'reset_account', subject: byEmail },
    blockedBy: 'login_failures_ip',
  },
  register: {
    perAddress: 'register_ip',
    perSubject: { limiter: 'register_account', subject: byEmail },
  },
  requestReset: {
    perAddress: 'reset_ip',
    perSubject: { limiter: 'reset_account', subject: byEmail },
  },
  'org.invite': {
    perAddress: 'invite_ip',
    perSubject: { limiter: 'invite_org', subject: byOrgId },
  },
  'support.resendVerification': {
    perAddress: 'resend_ip',
    perSubject: { limiter: 'resend_account', subject: byUserId },
  },
} as const satisfies Partial<Record<IdentityProcedurePath, CallRule>>;

/** Every failed credential check counts towards the client address's block. */
const IDENTITY_FAILURES = {
  LOGIN_FAILED: 'login_failures_ip',
  RECOVERY_FAILED: 'login_failures_ip',
  CURRENT_PASSWORD_WRONG: 'login_failures_ip',
} as const satisfies Partial<Record<IdentityErrorReason, FailureLimiterName>>;

/**
 * Finance: every procedure checks a capability except these two, so every other one (also
 * those added later) is refused while the address is blocked for guessing capabilities.
 */
export const FINANCE_WITHOUT_CAPABILITY = [
  'health',
  'createEntity',
] as const satisfies readonly FinanceProcedurePath[];

/** Refused and throttled capability checks both count: guessing goes on while throttled. */
const FINANCE_FAILURES = {
  CAPABILITY_REFUSED: 'capability_failures_ip',
  CAPABILITY_THROTTLED: 'capability_failures_ip',
} as const satisfies Partial<Record<FinanceErrorReason, FailureLimiterName>>;

const lookup = <T>(table: Readonly<Record<string, T>>) => {
  const entries = new Map<string, T>(Object.entries(table));
  return (key: string): T | undefined => entries.get(key);
};

export const IDENTITY_RULES: ApiRules = {
  callRule: lookup<CallRule>(IDENTITY_CALLS),
  failureLimiter: lookup<FailureLimiterName>(IDENTITY_FAILURES),
};

const capabilityGuarded: CallRule = { blockedBy: 'capability_failures_ip' };
const withoutCapability = new Set<string>(FINANCE_WITHOUT_CAPABILITY);

/** The calls without a capability that still cost the server something: new entities. */
const FINANCE_CALLS = {
  createEntity: { perAddress: 'create_entity_ip' },
} as const satisfies Partial<Record<(typeof FINANCE_WITHOUT_CAPABILITY)[number], CallRule>>;
const financeCallRule = lookup<CallRule>(FINANCE_CALLS);

export const FINANCE_RULES: ApiRules = {
  callRule: (path) => (withoutCapability.has(path) ? financeCallRule(path) : capabilityGuarded),
  failureLimiter: lookup<FailureLimiterName>(FINANCE_FAILURES),
};
