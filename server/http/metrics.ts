import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sendJson } from './respond';
import type { Route } from './routes';

/**
 * Prometheus metrics of one server (its own registry, so several servers can share a
 * process in tests). Labels are fixed small sets: never a path parameter, an id, an address
 * or anything a user typed.
 */
export type ApiLabel = 'identity' | 'finance' | 'static' | 'health' | 'other';
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'aborted';
export type LoginOutcome = 'success' | 'failure' | 'locked' | 'refused';
export type UploadOutcome = 'accepted' | 'refused';
/** Which limiter refused a request; the rate-limiting work adds its own names. */
export type RateLimiter = 'login_lockout' | 'capability_throttle' | (string & {});
export type AlertKind = 'failed_login_burst' | 'capability_guessing';

export interface ServerMetrics {
  registry: Registry;
  /** Starts timing a request; the returned function records it once the response closed. */
  startRequest: () => (api: ApiLabel, status: number, completed: boolean) => void;
  /** Internal failures (what became a 500), per API. */
  errors: Counter<'api'>;
  logins: Counter<'outcome'>;
  uploads: Counter<'outcome'>;
  /** Finance calls refused for a wrong capability (or an entity that does not exist). */
  capabilityFailures: Counter;
  /** Requests a limiter refused, per limiter (login lockout, capability throttle, …). */
  rateLimitHits: Counter<'limiter'>;
  securityAlerts: Counter<'kind'>;
}

export const apiLabelOf = (route: Route): ApiLabel =>
  route === 'app'
    ? 'static'
    : route === 'metrics'
      ? 'health'
      : route === 'unknown-api'
        ? 'other'
        : route;

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const satisfies StatusClass[];

export function statusClassOf(status: number, completed: boolean): StatusClass {
  if (!completed) return 'aborted';
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? '5xx';
}

const API_LABELS: readonly ApiLabel[] = ['identity', 'finance', 'static', 'health', 'other'];
const LOGIN_OUTCOMES: readonly LoginOutcome[] = ['success', 'failure', 'locked', 'refused'];
const UPLOAD_OUTCOMES: readonly UploadOutcome[] = ['accepted', 'refused'];
const KNOWN_LIMITERS: readonly RateLimiter[] = ['login_lockout', 'capability_throttle'];
const ALERT_KINDS: readonly AlertKind[] = ['failed_login_burst', 'capability_guessing'];

export function createServerMetrics(options: {
  /** When the last good backup of both stores finished; null if none is known. */
  lastGoodBackupAt: () => Date | null;
  now?: () => number;
}): ServerMetrics {
  const now = options.now ?? Date.now;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requests = new Counter({
    name: 'nyckel_http_requests_total',
    help: 'HTTP requests answered, by API and status class',
    labelNames: ['api', 'status_class'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'nyckel_http_request_duration_seconds',
    help: 'Time from request to the end of the response, by API and status class',
    labelNames: ['api', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const errors = new Counter({
    name: 'nyckel_errors_total',
    help: 'Internal server errors, by API',
    labelNames: ['api'] as const,
    registers,
  });
  const logins = new Counter({
    name: 'nyckel_logins_total',
    help: 'Login attempts by outcome (failure: wrong credentials; locked: refused by lockout)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const uploads = new Counter({
    name: 'nyckel_uploads_total',
    help: 'Finance uploads (uploadYears calls) by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const capabilityFailures = new Counter({
    name: 'nyckel_capability_failures_total',
    help: 'Finance calls refused for a capability that did not match',
    registers,
  });
  const rateLimitHits = new Counter({
    name: 'nyckel_rate_limit_hits_total',
    help: 'Requests refused by a rate limit or lockout, by limiter',
    labelNames: ['limiter'] as const,
    registers,
  });
  const securityAlerts = new Counter({
    name: 'nyckel_security_alerts_total',
    help: 'Security alert events emitted (also logged as event "alert"), by kind',
    labelNames: ['kind'] as const,
    registers,
  });
  new Gauge({
    name: 'nyckel_backup_age_seconds',
    help: 'Seconds since the last good daily backup of both stores; -1 when none is known',
    registers,
    collect() {
      const last = options.lastGoodBackupAt();
      this.set(last === null ? -1 : Math.max(0, (now() - last.getTime()) / 1000));
    },
  });

  // Known series start at zero, so rate() and absent() work from the first scrape.
  for (const api of API_LABELS) errors.inc({ api }, 0);
  for (const outcome of LOGIN_OUTCOMES) logins.inc({ outcome }, 0);
  for (const outcome of UPLOAD_OUTCOMES) uploads.inc({ outcome }, 0);
  for (const limiter of KNOWN_LIMITERS) rateLimitHits.inc({ limiter }, 0);
  for (const kind of ALERT_KINDS) securityAlerts.inc({ kind }, 0);
  capabilityFailures.inc(0);

  return {
    registry,
    startRequest: () => {
      const started = process.hrtime.bigint();
      return (api, status, completed) => {
        const labels = { api, status_class: statusClassOf(status, completed) };
        requests.inc(labels);
        duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      };
    },
    errors,
    logins,
    uploads,
    capabilityFailures,
    rateLimitHits,
    securityAlerts,
  };
}

/** `auto` serves metrics on loopback binds, or anywhere once a token protects them. */
export type MetricsSetting = 'auto' | 'on' | 'off';

export function metricsServed(setting: MetricsSetting, host: string, token: string): boolean {
  if (setting !== 'auto') return setting === 'on';
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  return loopback || token !== '';
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares a presented bearer token with the configured one in constant time. */
function bearerMatches(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/** `GET /metrics` in the Prometheus text format, behind the bearer token when one is set. */
export function createMetricsEndpoint(options: { metrics: ServerMetrics; token: string }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: { message: 'Method not allowed' } });
      return;
    }
    if (options.token !== '' && !bearerMatches(req.headers.authorization, options.token)) {
      res.setHeader('www-authenticate', 'Bearer realm="nyckel-metrics"');
      sendJson(res, 401, { error: { message: 'A valid metrics token is required' } });
      return;
    }
    const text = await options.metrics.registry.metrics();
    res.writeHead(200, {
      'content-type': options.metrics.registry.contentType,
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
}
