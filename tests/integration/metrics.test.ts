import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayload, type FinancePayload } from '../../domain/sie-summary';
import { createBurstAlert, type AlertEvent } from '../../server/http/alerts';
import { metricsServed } from '../../server/http/metrics';
import { procedureOutcomes } from '../../server/http/security-signals';
import { summarizeBytes } from '../../workers/sie/summarize';
import { runNyckel } from '../helpers/cli';
import { fakeAccount, identityClient, mailbox, signUp } from '../helpers/identity-http';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/**
 * /metrics of the real server: what it counts, what it never shows, who may read it, and the
 * alert events the security signals raise.
 */
let server: TestServer;
let payload: FinancePayload;
/** Finance calls come from this loopback address, so any logged address would be found. */
const CLIENT_ADDRESS = '127.0.0.9';
const FORWARDED_ADDRESS = '198.51.100.77';

beforeAll(async () => {
  server = await startTestServer({
    env: {
      NYCKEL_ALERT_FAILED_LOGINS: '3',
      NYCKEL_ALERT_CAPABILITY_FAILURES: '3',
      NYCKEL_ALERT_WINDOW_SECONDS: '60',
    },
  });
  const file = resolve(repoRoot, '../shared/sie-corpus/Sie4.se');
  const summary = await summarizeBytes(new Uint8Array(readFileSync(file)), { fileName: 'Sie4.se' });
  const built = buildPayload(summary.data!, { sni: '62010', employees: 12, county: '07' });
  if (!built.ok) throw new Error('corpus file gives no payload');
  payload = built.payload;
});

afterAll(async () => {
  await server?.dispose();
});

const scrape = async (on: TestServer = server, headers: Record<string, string> = {}) => {
  const response = await fetch(new URL('/metrics', on.url), { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const parseSeries = (text: string): Series[] =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });

/** The sum of a metric's samples whose labels include `labels`. */
const total = (text: string, name: string, labels: Record<string, string> = {}) =>
  parseSeries(text)
    .filter((s) => s.name === name)
    .filter((s) => Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);

/** A finance call over HTTP/1.1 from CLIENT_ADDRESS, claiming another address upstream. */
const financeCall = (path: string, body: unknown) =>
  new Promise<{ status: number; json: unknown }>((resolvePromise, reject) => {
    const url = new URL(`/api/finance/${path}`, server.url);
    const text = JSON.stringify(body);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: CLIENT_ADDRESS,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          'x-forwarded-for': FORWARDED_ADDRESS,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });

const logLines = () =>
  server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const alertsOf = (kind: string) =>
  logLines().filter((line) => line.event === 'alert' && line.kind === kind);

const NYCKEL_METRICS = [
  'nyckel_http_requests_total',
  'nyckel_http_request_duration_seconds',
  'nyckel_errors_total',
  'nyckel_logins_total',
  'nyckel_uploads_total',
  'nyckel_capability_failures_total',
  'nyckel_rate_limit_hits_total',
  'nyckel_security_alerts_total',
  'nyckel_backup_age_seconds',
];

describe('/metrics', () => {
  it('serves the Prometheus text format with process metrics and every Nyckel metric', async () => {
    const { status, headers, text } = await scrape();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(headers.get('cache-control')).toBe('no-store');
    for (const name of NYCKEL_METRICS) expect(text).toContain(`# TYPE ${name} `);
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    // No backup configured: the age is -1, which an alert rule can tell from "fresh".
    expect(total(text, 'nyckel_backup_age_seconds')).toBe(-1);
    expect(total(text, 'nyckel_logins_total', { outcome: 'failure' })).toBe(0);
  });

  it('counts requests by API and status class, with a latency histogram', async () => {
    const before = (await scrape()).text;
    await (await fetch(new URL('/', server.url))).text();
    await (await fetch(new URL('/healthz', server.url))).text();
    await (await fetch(new URL('/api/nothing/here', server.url))).text();
    const after = (await scrape()).text;
    const delta = (name: string, labels: Record<string, string>) =>
      total(after, name, labels) - total(before, name, labels);
    expect(delta('nyckel_http_requests_total', { api: 'static', status_class: '2xx' })).toBe(1);
    expect(delta('nyckel_http_requests_total', { api: 'other', status_class: '4xx' })).toBe(1);
    // /healthz and the first scrape (a request ends after its own body is rendered).
    expect(delta('nyckel_http_requests_total', { api: 'health', status_class: '2xx' })).toBe(2);
    expect(
      delta('nyckel_http_request_duration_seconds_count', { api: 'static', status_class: '2xx' }),
    ).toBe(1);
    expect(
      delta('nyckel_http_request_duration_seconds_sum', { api: 'static', status_class: '2xx' }),
    ).toBeGreaterThan(0);
  });

  it('counts logins by outcome; a burst of failures raises one failed_login_burst alert', async () => {
    const client = await signUp(server.url, mailbox(server.dataDir));
    const { account } = client;
    const attacker = identityClient(server.url);
    const reasons: string[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const outcome = await attacker.api.login
        .mutate({ email: account.email, authKey: fakeAccount().authKey })
        .then(
          () => 'OK',
          (error: { data?: { reason?: string } }) => error.data?.reason ?? 'unknown',
        );
      reasons.push(outcome);
    }
    // The 5th failure locks the account for a second; the 6th attempt meets the lock.
    expect(reasons).toEqual([...Array(5).fill('LOGIN_FAILED'), 'LOGIN_LOCKED']);

    const { text } = await scrape();
    expect(total(text, 'nyckel_logins_total', { outcome: 'success' })).toBe(1);
    expect(total(text, 'nyckel_logins_total', { outcome: 'failure' })).toBe(5);
    expect(total(text, 'nyckel_logins_total', { outcome: 'locked' })).toBe(1);
    expect(total(text, 'nyckel_rate_limit_hits_total', { limiter: 'login_lockout' })).toBe(1);
    // Threshold 3 within 60 s: one alert at the third failure, none again within the window.
    expect(total(text, 'nyckel_security_alerts_total', { kind: 'failed_login_burst' })).toBe(1);
    const alerts = alertsOf('failed_login_burst');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ event: 'alert', count: 3, windowSeconds: 60, level: 40 });
    expect(JSON.stringify(alerts[0])).not.toContain(account.email);
  });

  it('counts uploads; capability guessing raises an alert and meets the throttle', async () => {
    const raw = randomBytes(32);
    const capability = raw.toString('base64url');
    const created = await financeCall('createEntity', {
      capabilityHash: createHash('sha256').update(raw).digest('hex'),
      profile: { sni: null, employeeBand: null, county: null },
    });
    expect(created.status).toBe(200);
    const { entityId } = (created.json as { result: { data: { entityId: string } } }).result.data;

    const accepted = await financeCall('uploadYears', { entityId, capability, payload });
    expect(accepted.status).toBe(200);
    const wrong = randomBytes(32).toString('base64url');
    const refused = await financeCall('uploadYears', { entityId, capability: wrong, payload });
    expect(refused.status).toBe(401);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      statuses.push((await financeCall('listYears', { entityId, capability: wrong })).status);
    }
    // Nine more refusals make ten within the window; the next attempt is throttled.
    expect(statuses).toEqual([...Array(9).fill(401), 429]);

    const { text } = await scrape();
    expect(total(text, 'nyckel_uploads_total', { outcome: 'accepted' })).toBe(1);
    expect(total(text, 'nyckel_uploads_total', { outcome: 'refused' })).toBe(1);
    expect(total(text, 'nyckel_capability_failures_total')).toBe(10);
    expect(total(text, 'nyckel_rate_limit_hits_total', { limiter: 'capability_throttle' })).toBe(1);
    expect(total(text, 'nyckel_security_alerts_total', { kind: 'capability_guessing' })).toBe(1);
    const alerts = alertsOf('capability_guessing');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ count: 3, windowSeconds: 60 });
    // The alert says how many, never which entity or capability.
    expect(JSON.stringify(alerts[0])).not.toContain(entityId);
    expect(JSON.stringify(alerts[0])).not.toContain(wrong);
  });

  it('labels are small fixed sets: no ids, capabilities, addresses or paths', async () => {
    const { text } = await scrape();
    const allowed: Record<string, RegExp> = {
      api: /^(identity|finance|static|health|other)$/,
      status_class: /^([1-5]xx|aborted)$/,
      outcome: /^(success|failure|locked|refused|accepted)$/,
      limiter: /^[a-z_]+$/,
      kind: /^(failed_login_burst|capability_guessing)$/,
      le: /^([0-9.e+-]+|\+Inf)$/,
    };
    for (const series of parseSeries(text).filter((s) => s.name.startsWith('nyckel_'))) {
      for (const [label, value] of Object.entries(series.labels)) {
        expect(allowed[label], `${series.name} has label ${label}`).toBeDefined();
        expect(value, `${series.name}{${label}}`).toMatch(allowed[label]!);
      }
    }
    for (const secret of [CLIENT_ADDRESS, FORWARDED_ADDRESS, '/api/', '@example.se']) {
      expect(text).not.toContain(secret);
    }
  });

  it('finance calls are logged without any client address (P5)', () => {
    const output = server.output();
    expect(output).toContain('"kind":"capability_guessing"');
    expect(output).not.toContain(CLIENT_ADDRESS);
    expect(output).not.toContain(FORWARDED_ADDRESS);
    expect(output).not.toMatch(/remoteAddress|"ip"|x-forwarded-for/i);
  });
});

describe('who may read /metrics', () => {
  it('requires the bearer token when one is set, and can be switched off', async () => {
    const token = randomBytes(24).toString('base64url');
    const [guarded, off] = await Promise.all([
      startTestServer({ env: { NYCKEL_METRICS_TOKEN: token } }),
      startTestServer({ env: { NYCKEL_METRICS: 'off' } }),
    ]);
    try {
      const anonymous = await scrape(guarded);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(anonymous.text).not.toContain('nyckel_');
      expect((await scrape(guarded, { authorization: `Bearer ${token}x` })).status).toBe(401);
      expect((await scrape(guarded, { authorization: token })).status).toBe(401);
      const authorised = await scrape(guarded, { authorization: `Bearer ${token}` });
      expect(authorised.status).toBe(200);
      expect(authorised.text).toContain('nyckel_http_requests_total');

      const disabled = await scrape(off);
      expect(disabled.status).toBe(404);
      expect(disabled.text).not.toContain('nyckel_');
      expect(guarded.output()).not.toContain(token);
    } finally {
      await Promise.all([guarded.dispose(), off.dispose()]);
    }
  });

  it('auto: served on loopback binds, elsewhere only with a token', () => {
    expect(metricsServed('auto', '127.0.0.1', '')).toBe(true);
    expect(metricsServed('auto', '::1', '')).toBe(true);
    expect(metricsServed('auto', 'localhost', '')).toBe(true);
    expect(metricsServed('auto', '0.0.0.0', '')).toBe(false);
    expect(metricsServed('auto', '0.0.0.0', 'a-long-enough-token')).toBe(true);
    expect(metricsServed('on', '0.0.0.0', '')).toBe(true);
    expect(metricsServed('off', '127.0.0.1', '')).toBe(false);
  });
});

describe('backup age', () => {
  it('is the age of the last good backup of both stores once one exists', async () => {
    const work = mkdtempSync(join(tmpdir(), 'nyckel-metrics-backup-'));
    const env = {
      NYCKEL_BACKUP_AT: '03:00',
      NYCKEL_BACKUP_IDENTITY_DIR: join(work, 'identity'),
      NYCKEL_BACKUP_FINANCE_DIR: join(work, 'finance'),
      NYCKEL_BACKUP_IDENTITY_KEY: randomBytes(32).toString('base64'),
      NYCKEL_BACKUP_FINANCE_KEY: randomBytes(32).toString('base64'),
    };
    let running = await startTestServer({ env });
    try {
      expect(total((await scrape(running)).text, 'nyckel_backup_age_seconds')).toBe(-1);
      const backup = await runNyckel(
        [
          'backup',
          '--data',
          running.dataDir,
          '--identity-to',
          env.NYCKEL_BACKUP_IDENTITY_DIR,
          '--finance-to',
          env.NYCKEL_BACKUP_FINANCE_DIR,
        ],
        env,
      );
      expect(backup.code, backup.stderr).toBe(0);
      // The server learns of backups it did not run itself at its next start.
      await running.stop();
      running = await startTestServer({ dataDir: running.dataDir, env });
      const age = total((await scrape(running)).text, 'nyckel_backup_age_seconds');
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(120);
    } finally {
      await running.dispose();
      rmSync(running.dataDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('security signals', () => {
  it('reads each call of a batch with its reason; streamed responses are not guessed at', () => {
    const info = { calls: [{ path: 'login' }, { path: 'health' }, { path: 'uploadYears' }] };
    const data = [
      { error: { message: 'x', code: -32001, data: { reason: 'LOGIN_FAILED', code: 'X' } } },
      { result: { data: { ok: true } } },
      { result: { data: { years: 2 } } },
    ];
    expect(procedureOutcomes({ info, data, eagerGeneration: false })).toEqual([
      { path: 'login', reason: 'LOGIN_FAILED' },
      { path: 'health', reason: null },
      { path: 'uploadYears', reason: null },
    ]);
    expect(procedureOutcomes({ info, data: [], eagerGeneration: true })).toEqual([]);
    expect(procedureOutcomes({ info: undefined, data, eagerGeneration: false })).toEqual([]);
  });

  it('a burst alert fires at the threshold, once per window, and again after a quiet window', () => {
    let now = 1_000_000;
    const alerts: AlertEvent[] = [];
    const burst = createBurstAlert(
      'failed_login_burst',
      { count: 3, windowSeconds: 60 },
      (alert) => alerts.push(alert),
      () => now,
    );
    burst.record();
    now += 30_000;
    burst.record();
    expect(alerts).toEqual([]);
    now += 31_000; // the first event has left the window
    burst.record();
    expect(alerts).toEqual([]);
    now += 1_000;
    burst.record();
    expect(alerts).toEqual([
      { event: 'alert', kind: 'failed_login_burst', count: 3, windowSeconds: 60 },
    ]);
    for (let i = 0; i < 10; i += 1) burst.record();
    expect(alerts).toHaveLength(1);
    now += 60_000;
    for (let i = 0; i < 3; i += 1) burst.record();
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ count: 3 });
  });
});
