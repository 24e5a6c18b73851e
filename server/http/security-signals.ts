import type { Logger } from 'pino';
import { z } from 'zod';
import type { FinanceErrorReason } from '../finance/errors';
import type { FinanceRouter } from '../finance/router';
import type { IdentityErrorReason } from '../identity/errors';
import type { IdentityRouter } from '../identity/router';
import { createBurstAlert, type AlertEvent, type AlertThreshold } from './alerts';
import type { ServerMetrics } from './metrics';

/**
 * Security-relevant outcomes of API calls, read where both APIs meet the HTTP layer, so that
 * neither server/identity nor server/finance knows about metrics (or about each other): the
 * identity lockout and the finance capability throttle already answer with stable reasons,
 * and each call's reason is in the response tRPC is about to send.
 */
export interface ProcedureOutcome {
  path: string;
  /** The error's `data.reason`; null for a call that succeeded. */
  reason: string | null;
}

const callResponse = z.union([
  z.object({ error: z.object({ data: z.object({ reason: z.string() }) }) }),
  z.object({ result: z.unknown() }),
]);

/** What tRPC's `responseMeta` hook sees of a response (only what we read of it). */
export interface ResponseMetaView {
  info?: { calls: readonly { path: string }[] } | undefined;
  data: readonly unknown[];
  eagerGeneration: boolean;
}

/** Each call of a (batched) request with its outcome. Streamed responses are not known yet. */
export function procedureOutcomes(meta: ResponseMetaView): ProcedureOutcome[] {
  if (meta.eagerGeneration || !meta.info) return [];
  const { calls } = meta.info;
  return meta.data.flatMap((response, index) => {
    const path = calls[index]?.path;
    const parsed = callResponse.safeParse(response);
    if (path === undefined || !parsed.success) return [];
    return [{ path, reason: 'error' in parsed.data ? parsed.data.error.data.reason : null }];
  });
}

type IdentityProcedure = keyof IdentityRouter['_def']['record'];
type FinanceProcedure = keyof FinanceRouter['_def']['record'];

const LOGIN = 'login' satisfies IdentityProcedure;
const UPLOAD = 'uploadYears' satisfies FinanceProcedure;
/** Every reason the lockout counts as a failed credential check. */
const CREDENTIAL_FAILURES = new Set<string>([
  'LOGIN_FAILED',
  'RECOVERY_FAILED',
  'CURRENT_PASSWORD_WRONG',
] satisfies IdentityErrorReason[]);
const LOCKED_OUT = 'LOGIN_LOCKED' satisfies IdentityErrorReason;
const CAPABILITY_REFUSED = 'CAPABILITY_REFUSED' satisfies FinanceErrorReason;
const CAPABILITY_THROTTLED = 'CAPABILITY_THROTTLED' satisfies FinanceErrorReason;

export interface AlertThresholds {
  failedLogins: AlertThreshold;
  capabilityFailures: AlertThreshold;
}

export interface SecuritySignals {
  identity: (outcomes: readonly ProcedureOutcome[]) => void;
  finance: (outcomes: readonly ProcedureOutcome[]) => void;
}

/** Turns call outcomes into metrics and, past the thresholds, alert events in the log. */
export function createSecuritySignals(options: {
  metrics: ServerMetrics;
  thresholds: AlertThresholds;
  log: Pick<Logger, 'warn'>;
  now?: () => number;
}): SecuritySignals {
  const { metrics } = options;
  const raise = (alert: AlertEvent) => {
    metrics.securityAlerts.inc({ kind: alert.kind });
    options.log.warn(alert, `security alert: ${alert.kind.replaceAll('_', ' ')}`);
  };
  const failedLogins = createBurstAlert(
    'failed_login_burst',
    options.thresholds.failedLogins,
    raise,
    options.now,
  );
  const capabilityGuesses = createBurstAlert(
    'capability_guessing',
    options.thresholds.capabilityFailures,
    raise,
    options.now,
  );

  return {
    identity(outcomes) {
      for (const { path, reason } of outcomes) {
        if (path === LOGIN) {
          metrics.logins.inc({
            outcome:
              reason === null
                ? 'success'
                : reason === LOCKED_OUT
                  ? 'locked'
                  : CREDENTIAL_FAILURES.has(reason)
                    ? 'failure'
                    : 'refused',
          });
        }
        if (reason === null) continue;
        if (CREDENTIAL_FAILURES.has(reason)) failedLogins.record();
        if (reason === LOCKED_OUT) metrics.rateLimitHits.inc({ limiter: 'login_lockout' });
      }
    },
    finance(outcomes) {
      for (const { path, reason } of outcomes) {
        if (path === UPLOAD)
          metrics.uploads.inc({ outcome: reason === null ? 'accepted' : 'refused' });
        if (reason === CAPABILITY_REFUSED) {
          metrics.capabilityFailures.inc();
          capabilityGuesses.record();
        }
        if (reason === CAPABILITY_THROTTLED) {
          metrics.rateLimitHits.inc({ limiter: 'capability_throttle' });
          // Guessing goes on while throttled: each refused attempt still counts.
          capabilityGuesses.record();
        }
      }
    },
  };
}
