import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from 'pino';
import type { ServerConfig } from './config';
import { openIdentityStore } from './identity/store';
import { identityRouter } from './identity/router';
import { createIdentityApi } from './identity/api';
import { openFinanceStore } from './finance/store';
import { financeRouter } from './finance/router';
import { createFinanceApi } from './finance/api';
import { loadDemoAtStart } from './finance/demo';
import { loggableError } from './finance/errors';
import { readBody } from './http/body';
import { contentSecurityPolicyFor } from './http/csp';
import {
  crossSiteGuard,
  refusedByGuards,
  streamedResponseGuard,
  type ApiGuard,
} from './http/guards';
import { applyApiHeaders, applySecurityHeaders, securityHeaders } from './http/headers';
import {
  apiLabelOf,
  createMetricsEndpoint,
  createServerMetrics,
  metricsServed,
} from './http/metrics';
import { allowedOrigins, type AllowedOrigins } from './http/origin';
import { clientAddress, requestIsHttps } from './http/proxy';
import { answerInOnePiece } from './http/whole-answer';
import { createRateLimits, subjectHasher, type BlockEvent } from './http/rate-limit';
import { createApiRateLimiter, retryAfterHeader } from './http/rate-limit-api';
import { LIMITER_NAMES, type LimiterName } from './http/rate-limit-config';
import { openRateLimitStore } from './http/rate-limit-redis';
import { FINANCE_RULES, IDENTITY_RULES } from './http/rate-limit-rules';
import { sendJson } from './http/respond';
import { API_PATHS, pathOf, routeOf, type Route } from './http/routes';
import { createSecuritySignals, procedureOutcomes } from './http/security-signals';
import { createStaticHandler } from './http/static-files';
import { readTlsCredentials } from './http/tls';
import { httpsOriginFor, listen, redirectToHttps } from './http/transport';
import { scheduledBackupFrom } from './ops/backup-config';
import { startServerBackups } from './ops/backup-schedule';

export const IDENTITY_API_PATH = API_PATHS.identity;
export const FINANCE_API_PATH = API_PATHS.finance;

export interface RunningServer {
  /** `https://…` when a certificate is configured (HTTP/1.1 and HTTP/2), else `http://…`. */
  url: string;
  /** The plain-HTTP port that redirects to HTTPS, when one is configured. */
  redirectUrl: string | null;
  /** Stops accepting, lets in-flight requests finish, closes both databases. */
  shutdown: (reason: string) => Promise<void>;
  /** When the daily backup last succeeded for both stores (null: none known), for /metrics. */
  lastGoodBackupAt: () => Date | null;
}

type ApiHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Starts the one Nyckel process: static app, the two tRPC APIs and health endpoints. */
export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  // Key files are read now: a daily backup that could not run must stop the start.
  const scheduledBackup = scheduledBackupFrom(config);
  if (!scheduledBackup.ok) {
    throw new Error(`invalid backup configuration: ${scheduledBackup.error.message}`);
  }
  // Certificate and key are read now too: a server that cannot speak HTTPS must not start.
  const tls = readTlsCredentials(config);
  if (!tls.ok) throw new Error(`invalid TLS configuration: ${tls.message}`);
  // The two stores are opened by their own modules; neither module knows the other (P3).
  const identityStore = openIdentityStore(config.dataDir);
  const financeStore = openFinanceStore(config.dataDir);
  // The labelled demo population goes into an empty finance store before anything reads it
  // (DESIGN §7); peer statistics are built from the store after this.
  loadDemoAtStart(financeStore, config, log);
  const serveStatic = createStaticHandler(config.staticDir);
  // The CSP carries the hashes of the inline scripts of the app shell being served.
  const headers = securityHeaders(contentSecurityPolicyFor(config.staticDir));
  const transportTrust = { listenerIsTls: tls.credentials !== null, trustProxy: config.trustProxy };
  let lastGoodBackupAt: () => Date | null = () => null;
  const metrics = createServerMetrics({ lastGoodBackupAt: () => lastGoodBackupAt() });
  const serveMetrics = metricsServed(config.metrics, config.host, config.metricsToken)
    ? createMetricsEndpoint({ metrics, token: config.metricsToken })
    : undefined;
  // Login, upload and capability outcomes become metrics and, past a threshold, alerts.
  const signals = createSecuritySignals({
    metrics,
    log,
    thresholds: {
      failedLogins: { count: config.alertFailedLogins, windowSeconds: config.alertWindowSeconds },
      capabilityFailures: {
        count: config.alertCapabilityFailures,
        windowSeconds: config.alertWindowSeconds,
      },
    },
  });
  const startedAt = Date.now();
  let shuttingDown = false;
  let inFlight = 0;

  // Mailed links use NYCKEL_PUBLIC_ORIGIN, else the address the server ends up listening on.
  let listeningOrigin = `http://${config.host}:${config.port}`;
  const identity = await createIdentityApi({
    store: identityStore,
    config,
    log,
    listeningOrigin: () => listeningOrigin,
  });

  // Rate limits (DESIGN §8): per client address and per account, organisation or user on the
  // identity procedures that check credentials or send mail; per address on failed finance
  // capabilities. Counted in memory, or in Redis when NYCKEL_REDIS_URL is set; keys are
  // hashed under a secret of identity.db, which every instance sharing Redis shares too.
  const rateLimitStore = await openRateLimitStore(config.redisUrl, log);
  const rateLimits = createRateLimits({
    overrides: config.rateLimits,
    block: {
      firstSeconds: config.rateLimitBlockSeconds,
      maxSeconds: config.rateLimitBlockMaxSeconds,
    },
    store: rateLimitStore.store,
    hash: subjectHasher(identity.deps.fakeSaltKey),
    onStoreError: (limiter) =>
      log.warn({ limiter }, 'rate limit store failed: calls let through meanwhile'),
  });
  for (const limiter of LIMITER_NAMES) metrics.rateLimitHits.inc({ limiter }, 0);
  const rateLimitHit = (limiter: LimiterName) => metrics.rateLimitHits.inc({ limiter });
  // Which limiter blocked for how long: never the address (nor, for finance, anything else).
  const rateLimitBlocked = (block: BlockEvent) =>
    log.warn({ event: 'rate_limit_block', ...block }, 'rate limit: a client address is blocked');
  const identityLimits = createApiRateLimiter({
    limits: rateLimits,
    rules: IDENTITY_RULES,
    onRefused: rateLimitHit,
    onBlock: rateLimitBlocked,
  });
  const financeLimits = createApiRateLimiter({
    limits: rateLimits,
    rules: FINANCE_RULES,
    onRefused: rateLimitHit,
    onBlock: rateLimitBlocked,
  });
  const addressOf = (req: IncomingMessage) =>
    clientAddress(req.headers, req.socket.remoteAddress, transportTrust);
  // Requests the deadline answered: their handler's late write is expected, not an error.
  const answeredByDeadline = new WeakSet<IncomingMessage>();

  const identityApi = createHTTPHandler({
    router: identityRouter,
    basePath: IDENTITY_API_PATH,
    // A batch may not multiply the work of one request (each login costs an Argon2id).
    maxBatchSize: 10,
    // Only the identity API sees the request and response: it reads and sets the session
    // cookie (scoped to /api/identity, so browsers never send it to the finance API). Calls
    // over a rate limit are refused here, before any procedure runs.
    createContext: async ({ req, res, info }) => {
      await identityLimits.admit(info, addressOf(req));
      return identity.createContext({ req, res });
    },
    responseMeta: (meta) => {
      const outcomes = procedureOutcomes(meta);
      signals.identity(outcomes);
      identityLimits.record(meta.info, outcomes);
      return { headers: retryAfterHeader(meta.errors) };
    },
    onError: ({ error, path, req }) => {
      if (error.code !== 'INTERNAL_SERVER_ERROR' || answeredByDeadline.has(req)) return;
      metrics.errors.inc({ api: 'identity' });
      log.error({ api: 'identity', path }, error.message);
    },
  });
  const finance = createFinanceApi({
    store: financeStore,
    statistics: {
      minGroupSize: config.minGroupSize,
      refreshMs: config.statsRefreshMs,
      demo: { enabled: config.demo === 'on', excludeAt: config.demoExcludeAt },
    },
    log: log.child({ component: 'peer-statistics' }),
  });
  // Published peer statistics from scratch, before the first request (and after the demo
  // population is loaded, when there is one).
  finance.statistics.rebuild({ syncMetrics: true });
  const financeApi = createHTTPHandler({
    router: financeRouter,
    basePath: FINANCE_API_PATH,
    maxBatchSize: 10,
    // Finance queries carry a capability: the client POSTs them so it never lands in a URL
    // (and so in no proxy's access log).
    allowMethodOverride: true,
    // No request data at all reaches the finance context: no cookie, no address (P5). The
    // address only counts failed capabilities here, in memory or Redis, and is never logged.
    createContext: async ({ req, info }) => {
      await financeLimits.admit(info, addressOf(req));
      return finance.createContext();
    },
    responseMeta: (meta) => {
      const outcomes = procedureOutcomes(meta);
      signals.finance(outcomes);
      financeLimits.record(meta.info, outcomes);
      return { headers: retryAfterHeader(meta.errors) };
    },
    // Internal errors only, and only their classes: drizzle puts the bound parameters
    // (entity ids, capability hashes, figures) into its error messages (P5).
    onError: ({ error, path, req }) => {
      if (error.code !== 'INTERNAL_SERVER_ERROR' || answeredByDeadline.has(req)) return;
      metrics.errors.inc({ api: 'finance' });
      log.error({ api: 'finance', path, ...loggableError(error) }, 'finance call failed');
    },
  });

  /**
   * P5: identity credentials never reach the finance API. Browsers do not send the session
   * cookie here (its path is /api/identity); a request that carries any cookie anyway is
   * refused before it is read, so a misconfigured client or proxy is noticed, not tolerated.
   */
  const refuseFinanceCookies = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.headers.cookie === undefined) return false;
    req.resume();
    sendJson(res, 400, {
      error: {
        message:
          'The finance API does not accept cookies. Send finance requests without credentials.',
        messageSv:
          'Finans-API:t tar inte emot cookies. Skicka finansanrop utan inloggningsuppgifter.',
        reason: 'COOKIE_REFUSED',
      },
    });
    return true;
  };

  // Known once the server listens; until then no request can arrive.
  let apiOrigins: AllowedOrigins = { kind: 'exact', origins: new Set() };
  /**
   * Checks every API request passes, in order, before its body is read. Per-route limits
   * (rate limiting) belong in this list.
   */
  const apiGuards: readonly ApiGuard[] = [streamedResponseGuard, crossSiteGuard(() => apiOrigins)];

  const handleApi = async (req: IncomingMessage, res: ServerResponse, api: ApiHandler) => {
    if (req.method === 'POST') {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
      if (contentType !== 'application/json') {
        req.resume();
        sendJson(res, 415, { error: { message: 'Only application/json is accepted' } });
        return;
      }
      const body = await readBody(req, config.maxBodyBytes);
      // A body still arriving when the deadline answered is read to its end and dropped.
      if (res.headersSent) return;
      if (!body.ok) {
        sendJson(res, body.status, { error: { message: body.message } });
        return;
      }
      Object.assign(req, { body: body.text });
    }
    answerInOnePiece(res);
    api(req, res);
  };

  /**
   * The per-request deadline of both APIs: a request not answered within
   * NYCKEL_API_DEADLINE_MS (its body read, guards and handler together) is answered 503 with
   * reason DEADLINE_EXCEEDED, so no client waits on a stuck request. What the handler still
   * writes afterwards is dropped. Headers and the whole request have their own, earlier
   * limits on the connection (server/http/transport.ts).
   */
  const armDeadline = (req: IncomingMessage, res: ServerResponse, api: 'identity' | 'finance') => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      answeredByDeadline.add(req);
      log.warn({ api, deadlineMs: config.apiDeadlineMs }, 'API request over its deadline');
      if (req.httpVersionMajor === 1) res.setHeader('connection', 'close');
      sendJson(res, 503, {
        error: {
          message: 'The server took too long to answer. Try again in a moment.',
          messageSv: 'Servern tog för lång tid på sig att svara. Försök igen om en stund.',
          reason: 'DEADLINE_EXCEEDED',
        },
      });
    }, config.apiDeadlineMs);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
  };

  const readiness = () => {
    const stores = [identityStore.health(), financeStore.health()];
    return { ready: !shuttingDown && stores.every((s) => s.ok), stores };
  };

  const route = async (req: IncomingMessage, res: ServerResponse, path: string, to: Route) => {
    if (to === 'identity' || to === 'finance' || to === 'unknown-api') applyApiHeaders(res);
    if (to === 'identity' || to === 'finance') armDeadline(req, res, to);
    if (
      (to === 'identity' || to === 'finance') &&
      (await refusedByGuards(apiGuards, req, res, to))
    ) {
      return;
    }
    if (to === 'metrics') {
      if (serveMetrics) return serveMetrics(req, res);
      sendJson(res, 404, { error: { message: 'Metrics are not served (NYCKEL_METRICS)' } });
      return;
    }
    if (path === '/healthz') {
      sendJson(res, 200, {
        status: shuttingDown ? 'stopping' : 'ok',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      });
      return;
    }
    if (path === '/readyz') {
      const result = readiness();
      sendJson(res, result.ready ? 200 : 503, result);
      return;
    }
    if (to === 'identity') return handleApi(req, res, identityApi);
    if (to === 'finance') {
      if (refuseFinanceCookies(req, res)) return;
      return handleApi(req, res, financeApi);
    }
    if (to === 'unknown-api') {
      sendJson(res, 404, { error: { message: 'Unknown API' } });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { message: 'Method not allowed' } });
      return;
    }
    serveStatic(req, res);
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    const path = pathOf(req.url);
    const to = routeOf(path);
    const recordRequest = metrics.startRequest();
    res.on('close', () => {
      inFlight -= 1;
      recordRequest(apiLabelOf(to), res.statusCode, res.writableEnded);
    });
    applySecurityHeaders(res, headers, { https: requestIsHttps(req.headers, transportTrust) });
    // Once stopping, tell HTTP/1.1 keep-alive clients to go away after this response
    // (HTTP/2 forbids the header; its sessions get a GOAWAY instead).
    if (shuttingDown && req.httpVersionMajor === 1) res.setHeader('connection', 'close');
    route(req, res, path, to).catch((error: unknown) => {
      metrics.errors.inc({ api: apiLabelOf(to) });
      log.error({ err: error instanceof Error ? error.message : 'unknown' }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'Internal error' } });
      else res.destroy();
    });
  };

  // HTTPS (HTTP/1.1 and HTTP/2 on one port) when a certificate is configured, else HTTP.
  const listener = await listen({
    host: config.host,
    port: config.port,
    tls: tls.credentials,
    handler: handleRequest,
    headersTimeoutMs: config.headersTimeoutMs,
  });
  const url = listener.url;
  listeningOrigin = url;
  apiOrigins = allowedOrigins({ publicOrigin: config.publicOrigin, listeningUrl: url });
  const redirect =
    config.httpRedirectPort === ''
      ? null
      : await listen({
          host: config.host,
          port: config.httpRedirectPort,
          tls: null,
          headersTimeoutMs: config.headersTimeoutMs,
          handler: redirectToHttps(
            httpsOriginFor({
              publicOrigin: config.publicOrigin,
              httpsPort: Number(new URL(url).port),
            }),
          ),
        });
  const backups = await startServerBackups(scheduledBackup.value, log);
  lastGoodBackupAt = backups.lastGoodBackupAt;

  let shutdownPromise: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    shutdownPromise ??= new Promise<void>((resolvePromise) => {
      shuttingDown = true;
      log.info({ reason, inFlight }, 'shutting down: no new connections, finishing requests');
      const idleSweep = setInterval(() => listener.closeIdleConnections(), 100);
      const force = setTimeout(() => {
        log.warn({ inFlight }, 'grace period over, closing remaining connections');
        listener.closeAllConnections();
      }, config.shutdownGraceMs);
      // Redirects are answered at once: that port just closes.
      const redirectClosed = redirect?.close();
      redirect?.closeAllConnections();
      void listener.close().then(async () => {
        await redirectClosed;
        clearInterval(idleSweep);
        clearTimeout(force);
        // Let queued mails go out, but never wait longer than the grace period for them.
        let mailTimer: NodeJS.Timeout | undefined;
        await Promise.race([
          identity.deps.mailer.idle(),
          new Promise((done) => {
            mailTimer = setTimeout(done, config.shutdownGraceMs);
          }),
        ]);
        clearTimeout(mailTimer);
        // A backup that is running reads the databases through its own connections.
        await backups.stop();
        await rateLimitStore.close();
        finance.statistics.close();
        identityStore.close();
        financeStore.close();
        log.info('stopped: databases closed');
        resolvePromise();
      });
      listener.closeIdleConnections();
    });
    return shutdownPromise;
  };

  return {
    url,
    redirectUrl: redirect?.url ?? null,
    shutdown,
    lastGoodBackupAt: backups.lastGoodBackupAt,
  };
}
