import type { AnyTRPCProcedure } from '@trpc/server';
import type { TRPCRequestInfo } from '@trpc/server/http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config';
import { financeRouter } from '../../server/finance/router';
import { identityRouter } from '../../server/identity/router';
import {
  addressSubject,
  blockSeconds,
  createRateLimits,
  memoryStore,
  subjectHasher,
  type LimiterStore,
} from '../../server/http/rate-limit';
import { createApiRateLimiter, retryAfterHeader } from '../../server/http/rate-limit-api';
import { LIMITER_NAMES, LIMITERS, type LimiterName } from '../../server/http/rate-limit-config';
import { rateLimitedError } from '../../server/http/rate-limit-errors';
import {
  FINANCE_RULES,
  FINANCE_WITHOUT_CAPABILITY,
  IDENTITY_RULES,
} from '../../server/http/rate-limit-rules';
import { UserFacingError } from '../../server/trpc';

const hash = subjectHasher(Buffer.from('a test secret of the identity store'));
const block = { firstSeconds: 60, maxSeconds: 3600 };

/** Every key a store was asked about, to prove that no subject reaches it in clear. */
function recordingStore(): { store: LimiterStore; keys: string[] } {
  const keys: string[] = [];
  const store: LimiterStore = (options) => {
    const limiter = memoryStore(options);
    const original = limiter.consume.bind(limiter);
    limiter.consume = (key, points, more) => {
      keys.push(String(key));
      return original(key, points, more);
    };
    return limiter;
  };
  return { store, keys };
}

const limitsWith = (overrides: Partial<Record<LimiterName, { points: number; seconds: number }>>) =>
  createRateLimits({ overrides, block, store: memoryStore, hash });

describe('rate limit configuration', () => {
  it('takes overrides as name=points/seconds and keeps every other default', () => {
    const loaded = loadConfig({ NYCKEL_RATE_LIMITS: ' login_ip=5/10, register_account=2/3600 ' });
    expect(loaded.ok && loaded.config.rateLimits).toEqual({
      login_ip: { points: 5, seconds: 10 },
      register_account: { points: 2, seconds: 3600 },
    });
    const defaults = loadConfig({});
    expect(defaults.ok && defaults.config.rateLimits).toEqual({});
    expect(defaults.ok && defaults.config.redisUrl).toBe('');
  });

  it('refuses unknown limiters, malformed entries, bad block times and non-Redis URLs', () => {
    const errors = (env: NodeJS.ProcessEnv) => {
      const loaded = loadConfig(env);
      return loaded.ok ? [] : loaded.errors;
    };
    expect(errors({ NYCKEL_RATE_LIMITS: 'login=5/10' }).join()).toMatch(
      /NYCKEL_RATE_LIMITS: unknown limiter "login"; known: prelogin_ip/,
    );
    expect(errors({ NYCKEL_RATE_LIMITS: 'login_ip=5' }).join()).toMatch(/not name=points\/seconds/);
    expect(errors({ NYCKEL_RATE_LIMITS: 'login_ip=0/10' }).join()).toMatch(/NYCKEL_RATE_LIMITS/);
    expect(
      errors({ NYCKEL_RATE_LIMIT_BLOCK_SECONDS: '600', NYCKEL_RATE_LIMIT_BLOCK_MAX_SECONDS: '60' }),
    ).toEqual([
      'NYCKEL_RATE_LIMIT_BLOCK_MAX_SECONDS: must be at least NYCKEL_RATE_LIMIT_BLOCK_SECONDS (600)',
    ]);
    expect(errors({ NYCKEL_REDIS_URL: 'http://cache:6379' }).join()).toMatch(/NYCKEL_REDIS_URL/);
    expect(errors({ NYCKEL_REDIS_URL: 'rediss://:secret@cache:6380/1' })).toEqual([]);
    expect(errors({ NYCKEL_API_DEADLINE_MS: '5' }).join()).toMatch(/NYCKEL_API_DEADLINE_MS/);
  });

  it('names every limiter as a metric label can be named', () => {
    for (const name of LIMITER_NAMES) expect(name).toMatch(/^[a-z_]+$/);
    expect(new Set(LIMITER_NAMES).size).toBe(Object.keys(LIMITERS).length);
  });
});

describe('exponential blocks', () => {
  it('doubles each consecutive block and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => blockSeconds(n, block))).toEqual([
      60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
    expect(blockSeconds(10_000, block)).toBe(3600);
    expect(blockSeconds(0, block)).toBe(60);
  });
});

describe('client address keys', () => {
  it('keeps IPv4 as is, unwraps IPv4-mapped IPv6 and counts IPv6 by its /64', () => {
    expect(addressSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(addressSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressSubject('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressSubject('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressSubject('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressSubject('::1')).toBe('0:0:0:0::/64');
    expect(addressSubject(undefined)).toBe('unknown');
    expect(addressSubject('not an address')).toBe('unknown');
  });
});

describe('request limiters', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 1) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets `points` calls through per window, then refuses until the window has passed', async () => {
    const limits = limitsWith({ login_ip: { points: 3, seconds: 60 } });
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limits.consume('login_ip', 'address:a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, limiter: 'login_ip', retryAfterSeconds: 60 });
    // Another key is counted apart.
    expect(await limits.consume('login_ip', 'address:b')).toEqual({ allowed: true });
    vi.advanceTimersByTime(45_000);
    expect(await limits.consume('login_ip', 'address:a')).toMatchObject({ retryAfterSeconds: 15 });
    vi.advanceTimersByTime(15_001);
    expect(await limits.consume('login_ip', 'address:a')).toEqual({ allowed: true });
  });

  it('never hands a subject to the store in clear', async () => {
    const { store, keys } = recordingStore();
    const limits = createRateLimits({ overrides: {}, block, store, hash });
    await limits.consume('register_account', 'account:anna@example.se');
    await limits.consume('login_ip', 'address:203.0.113.7');
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).not.toMatch(/anna|example|203\.0/);
      expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    }
  });
});

describe('failure limiters', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 1) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the failure that reaches the limit blocks; each consecutive block lasts twice as long', async () => {
    const limits = limitsWith({ login_failures_ip: { points: 3, seconds: 900 } });
    const subject = 'address:198.51.100.9';
    const blocks = [];
    for (const expected of [60, 120, 240]) {
      for (let i = 0; i < 2; i += 1) {
        expect(await limits.recordFailure('login_failures_ip', subject)).toBeNull();
        expect(await limits.blocked('login_failures_ip', subject)).toEqual({ allowed: true });
      }
      blocks.push(await limits.recordFailure('login_failures_ip', subject));
      expect(await limits.blocked('login_failures_ip', subject)).toEqual({
        allowed: false,
        limiter: 'login_failures_ip',
        retryAfterSeconds: expected,
      });
      // Failures while blocked extend nothing.
      expect(await limits.recordFailure('login_failures_ip', subject)).toBeNull();
      vi.advanceTimersByTime(expected * 1000 - 1000);
      expect(await limits.blocked('login_failures_ip', subject)).toMatchObject({
        retryAfterSeconds: 1,
      });
      vi.advanceTimersByTime(1001);
      expect(await limits.blocked('login_failures_ip', subject)).toEqual({ allowed: true });
    }
    expect(blocks).toEqual([
      { limiter: 'login_failures_ip', block: 1, seconds: 60 },
      { limiter: 'login_failures_ip', block: 2, seconds: 120 },
      { limiter: 'login_failures_ip', block: 3, seconds: 240 },
    ]);
    // A quiet day later the blocks start again at the first, shortest one.
    vi.advanceTimersByTime(24 * 3600 * 1000);
    for (let i = 0; i < 3; i += 1) await limits.recordFailure('login_failures_ip', subject);
    expect(await limits.blocked('login_failures_ip', subject)).toMatchObject({
      retryAfterSeconds: 60,
    });
  });

  it('lets calls through when the store fails, and reports that once a minute', async () => {
    const failing: LimiterStore = (options) => {
      const limiter = memoryStore(options);
      limiter.consume = () => Promise.reject(new Error('store down'));
      limiter.get = () => Promise.reject(new Error('store down'));
      return limiter;
    };
    const reports: LimiterName[] = [];
    const limits = createRateLimits({
      overrides: {},
      block,
      store: failing,
      hash,
      onStoreError: (limiter) => reports.push(limiter),
    });
    expect(await limits.consume('login_ip', 'address:a')).toEqual({ allowed: true });
    expect(await limits.blocked('login_failures_ip', 'address:a')).toEqual({ allowed: true });
    expect(reports).toEqual(['login_ip']);
    vi.advanceTimersByTime(60_000);
    await limits.consume('prelogin_ip', 'address:a');
    expect(reports).toEqual(['login_ip', 'prelogin_ip']);
  });
});

const isProcedure = (value: unknown): value is AnyTRPCProcedure =>
  typeof value === 'function' && '_def' in value;
const procedures = new Map<string, AnyTRPCProcedure>(
  [
    ...Object.entries(identityRouter._def.procedures),
    ...Object.entries(financeRouter._def.procedures),
  ].flatMap(([path, value]: [string, unknown]) => (isProcedure(value) ? [[path, value]] : [])),
);
const procedureAt = (path: string) => procedures.get(path);

/** A request as tRPC describes it to createContext: paths and lazily read inputs. */
function requestInfo(calls: { path: string; input?: unknown; known?: boolean }[]): TRPCRequestInfo {
  return {
    accept: null,
    type: 'mutation',
    isBatchCall: calls.length > 1,
    calls: calls.map(({ path, input, known }, batchIndex) => ({
      path,
      batchIndex,
      getRawInput: () => Promise.resolve(input),
      result: () => input,
      procedure: known === false ? null : (procedureAt(path) ?? null),
    })),
    connectionParams: null,
    signal: new AbortController().signal,
    url: null,
  };
}

const refusal = async (promise: Promise<void>) => {
  const error: unknown = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof UserFacingError)) throw new Error('expected a refusal');
  return { code: error.code, reason: error.reason, details: error.details };
};

describe('limits at the door of an API', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 1) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts every call of a batch, so batching buys no extra attempts', async () => {
    const refused: LimiterName[] = [];
    const door = createApiRateLimiter({
      limits: limitsWith({ login_ip: { points: 4, seconds: 60 } }),
      rules: IDENTITY_RULES,
      onRefused: (limiter) => refused.push(limiter),
      onBlock: () => {},
    });
    const login = { path: 'login', input: { email: 'a@example.se', authKey: 'x' } };
    await door.admit(requestInfo([login, login, login]), '192.0.2.1');
    expect(await refusal(door.admit(requestInfo([login, login]), '192.0.2.1'))).toEqual({
      code: 'TOO_MANY_REQUESTS',
      reason: 'RATE_LIMITED',
      details: { retryAfterSeconds: 60 },
    });
    expect(refused).toEqual(['login_ip']);
    // Another address, and calls without a rule, are not affected.
    await door.admit(requestInfo([login]), '192.0.2.2');
    await door.admit(requestInfo([{ path: 'me' }, { path: 'logout' }]), '192.0.2.1');
  });

  it('counts an account however its address is written, under a hash of it', async () => {
    const door = createApiRateLimiter({
      limits: limitsWith({ reset_account: { points: 2, seconds: 3600 } }),
      rules: IDENTITY_RULES,
      onRefused: () => {},
      onBlock: () => {},
    });
    await door.admit(
      requestInfo([{ path: 'requestReset', input: { email: 'anna@example.se' } }]),
      '192.0.2.1',
    );
    await door.admit(
      requestInfo([{ path: 'requestReset', input: { email: ' ANNA@Example.se' } }]),
      '192.0.2.2',
    );
    const third = requestInfo([{ path: 'requestReset', input: { email: 'Anna@example.SE ' } }]);
    expect(await refusal(door.admit(third, '192.0.2.3'))).toMatchObject({ reason: 'RATE_LIMITED' });
    // Input the procedure would refuse names no account: the call fails validation instead.
    await door.admit(requestInfo([{ path: 'requestReset', input: { email: 42 } }]), '192.0.2.1');
    // An invitation counts per organisation.
    const orgId = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
    const invite = { path: 'org.invite', input: { orgId, email: 'b@example.se', role: 'member' } };
    await door.admit(requestInfo([invite]), '192.0.2.1');
  });

  it('blocks an address for capability guessing on every finance call that checks one', async () => {
    const blocks: unknown[] = [];
    const door = createApiRateLimiter({
      limits: limitsWith({ capability_failures_ip: { points: 3, seconds: 600 } }),
      rules: FINANCE_RULES,
      onRefused: () => {},
      onBlock: (event) => blocks.push(event),
    });
    const info = requestInfo([{ path: 'listYears' }]);
    await door.admit(info, '203.0.113.5');
    door.record(info, [
      { path: 'listYears', reason: 'CAPABILITY_REFUSED' },
      { path: 'listYears', reason: 'CAPABILITY_THROTTLED' },
      { path: 'listYears', reason: 'CAPABILITY_REFUSED' },
      { path: 'listYears', reason: 'YEAR_NOT_FOUND' },
    ]);
    await vi.waitFor(() => expect(blocks).toHaveLength(1));
    expect(blocks[0]).toEqual({ limiter: 'capability_failures_ip', block: 1, seconds: 60 });
    for (const path of Object.keys(financeRouter._def.procedures)) {
      const admitted = door.admit(requestInfo([{ path }]), '203.0.113.5');
      if (FINANCE_WITHOUT_CAPABILITY.some((open) => open === path)) await admitted;
      else expect(await refusal(admitted)).toMatchObject({ details: { retryAfterSeconds: 60 } });
    }
    await door.admit(requestInfo([{ path: 'listYears' }]), '203.0.113.6');
    // A request the door never admitted has no address to count under.
    door.record(requestInfo([{ path: 'listYears' }]), [
      { path: 'listYears', reason: 'CAPABILITY_REFUSED' },
    ]);
  });

  it('names only procedures that exist', () => {
    const identity = Object.keys(identityRouter._def.procedures);
    for (const path of identity) IDENTITY_RULES.callRule(path);
    for (const path of [
      'preLogin',
      'login',
      'register',
      'requestReset',
      'recoveryStart',
      'org.invite',
      'support.resendVerification',
    ]) {
      expect(identity).toContain(path);
      expect(IDENTITY_RULES.callRule(path)).toBeDefined();
    }
    for (const path of FINANCE_WITHOUT_CAPABILITY) {
      expect(Object.keys(financeRouter._def.procedures)).toContain(path);
    }
  });
});

describe('Retry-After', () => {
  it('is the longest wait among the errors, and absent without one', () => {
    expect(retryAfterHeader([rateLimitedError(30), rateLimitedError(90), new Error('x')])).toEqual({
      'retry-after': '90',
    });
    expect(retryAfterHeader([new Error('x')])).toEqual({});
  });
});
