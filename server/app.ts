import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from 'pino';
import type { ServerConfig } from './config';
import { openIdentityStore } from './identity/store';
import { identityRouter } from './identity/router';
import { createIdentityApi } from './identity/api';
import { openFinanceStore } from './finance/store';
import { financeRouter } from './finance/router';
import { createFinanceApi } from './finance/api';
import { loggableError } from './finance/errors';
import { readBody } from './http/body';
import { applySecurityHeaders } from './http/headers';
import { sendJson } from './http/respond';
import { createStaticHandler } from './http/static-files';
import { scheduledBackupFrom } from './ops/backup-config';
import { startServerBackups } from './ops/backup-schedule';

export const IDENTITY_API_PATH = '/api/identity/';
export const FINANCE_API_PATH = '/api/finance/';

export interface RunningServer {
  server: Server;
  url: string;
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
  // The two stores are opened by their own modules; neither module knows the other (P3).
  const identityStore = openIdentityStore(config.dataDir);
  const financeStore = openFinanceStore(config.dataDir);
  const serveStatic = createStaticHandler(config.staticDir);
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
  const identityApi = createHTTPHandler({
    router: identityRouter,
    basePath: IDENTITY_API_PATH,
    // A batch may not multiply the work of one request (each login costs an Argon2id).
    maxBatchSize: 10,
    // Only the identity API sees the request and response: it reads and sets the session
    // cookie (scoped to /api/identity, so browsers never send it to the finance API).
    createContext: ({ req, res }) => identity.createContext({ req, res }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        log.error({ api: 'identity', path }, error.message);
    },
  });
  const finance = createFinanceApi({ store: financeStore });
  const financeApi = createHTTPHandler({
    router: financeRouter,
    basePath: FINANCE_API_PATH,
    maxBatchSize: 10,
    // Finance queries carry a capability: the client POSTs them so it never lands in a URL
    // (and so in no proxy's access log).
    allowMethodOverride: true,
    // No request data at all reaches the finance context: no cookie, no address (P5).
    createContext: () => finance.createContext(),
    // Internal errors only, and only their classes: drizzle puts the bound parameters
    // (entity ids, capability hashes, figures) into its error messages (P5).
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
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

  const handleApi = async (req: IncomingMessage, res: ServerResponse, api: ApiHandler) => {
    if (req.method === 'POST') {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
      if (contentType !== 'application/json') {
        req.resume();
        sendJson(res, 415, { error: { message: 'Only application/json is accepted' } });
        return;
      }
      const body = await readBody(req, config.maxBodyBytes);
      if (!body.ok) {
        sendJson(res, body.status, { error: { message: body.message } });
        return;
      }
      Object.assign(req, { body: body.text });
    }
    api(req, res);
  };

  const readiness = () => {
    const stores = [identityStore.health(), financeStore.health()];
    return { ready: !shuttingDown && stores.every((s) => s.ok), stores };
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
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
    if (path.startsWith(IDENTITY_API_PATH)) return handleApi(req, res, identityApi);
    if (path.startsWith(FINANCE_API_PATH)) {
      if (refuseFinanceCookies(req, res)) return;
      return handleApi(req, res, financeApi);
    }
    if (path.startsWith('/api/')) {
      sendJson(res, 404, { error: { message: 'Unknown API' } });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { message: 'Method not allowed' } });
      return;
    }
    serveStatic(req, res);
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
    });
    applySecurityHeaders(res);
    // Once stopping, tell keep-alive clients to go away after this response.
    if (shuttingDown) res.setHeader('connection', 'close');
    route(req, res).catch((error: unknown) => {
      log.error({ err: error instanceof Error ? error.message : 'unknown' }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'Internal error' } });
      else res.destroy();
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  listeningOrigin = url;
  const backups = await startServerBackups(scheduledBackup.value, log);

  let shutdownPromise: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    shutdownPromise ??= new Promise<void>((resolvePromise) => {
      shuttingDown = true;
      log.info({ reason, inFlight }, 'shutting down: no new connections, finishing requests');
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      const force = setTimeout(() => {
        log.warn({ inFlight }, 'grace period over, closing remaining connections');
        server.closeAllConnections();
      }, config.shutdownGraceMs);
      server.close(async () => {
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
        identityStore.close();
        financeStore.close();
        log.info('stopped: databases closed');
        resolvePromise();
      });
      server.closeIdleConnections();
    });
    return shutdownPromise;
  };

  return { server, url, shutdown, lastGoodBackupAt: backups.lastGoodBackupAt };
}
