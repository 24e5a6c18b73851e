import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { TLS_MIN_VERSION, type TlsCredentials } from './tls';

/** The app's request handler, written against Node's HTTP/1 request and response. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** One listening socket of the server and how to wind it down. */
export interface Listener {
  /** e.g. `https://127.0.0.1:8443` (the port actually bound). */
  url: string;
  secure: boolean;
  /** Ends connections with no request in flight; HTTP/2 sessions get a GOAWAY and finish. */
  closeIdleConnections: () => void;
  /** Ends every connection now. */
  closeAllConnections: () => void;
  /** Stops accepting connections; resolves once the last one has ended. */
  close: () => Promise<void>;
}

/** An idle connection is dropped after this long (HTTP/1 keep-alive and HTTP/2 sessions). */
const TLS_IDLE_TIMEOUT_MS = 120_000;

/**
 * The HTTP/2 compatibility request and response stand in for the HTTP/1 ones: what the app
 * uses of them (headers, url, method, body stream, setHeader/writeHead/write/end, events)
 * exists on both, which tests/integration/tls.test.ts proves for the tRPC adapter and the
 * static files over a real HTTP/2 connection. This is the one place the types are bridged.
 */
const overHttp2 =
  (handler: RequestHandler) =>
  (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void =>
    handler(req as IncomingMessage, res as ServerResponse);

async function bind(
  server: Server | Http2SecureServer,
  host: string,
  port: number,
): Promise<AddressInfo> {
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not a TCP listener');
  return address;
}

const urlOf = (scheme: 'http' | 'https', address: AddressInfo) =>
  `${scheme}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

const closed = (server: Server | Http2SecureServer) =>
  new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));

/** Longest time a request (headers and body) may take on plain HTTP; the API has its own deadline. */
const REQUEST_TIMEOUT_MS = 60_000;

/** How often Node looks for connections over their headers or request timeout. */
const checkingIntervalFor = (headersTimeoutMs: number) =>
  Math.min(30_000, Math.max(250, Math.floor(headersTimeoutMs / 4)));

/** The answer to a client that did not finish its request headers in time (HTTP/1.1). */
const REQUEST_TIMEOUT_ANSWER =
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/** Plain HTTP/1.1 with Node's own connection bookkeeping. */
async function listenPlain(
  host: string,
  port: number,
  handler: RequestHandler,
  headersTimeoutMs: number,
) {
  const server = createServer(
    { connectionsCheckingInterval: checkingIntervalFor(headersTimeoutMs) },
    handler,
  );
  server.requestTimeout = Math.max(REQUEST_TIMEOUT_MS, headersTimeoutMs);
  server.headersTimeout = headersTimeoutMs;
  server.keepAliveTimeout = 5_000;
  const address = await bind(server, host, port);
  return {
    url: urlOf('http', address),
    secure: false,
    closeIdleConnections: () => server.closeIdleConnections(),
    closeAllConnections: () => server.closeAllConnections(),
    close: () => closed(server),
  } satisfies Listener;
}

/**
 * HTTPS on one port for both protocols: ALPN picks HTTP/2, clients without it get HTTP/1.1.
 * Node's HTTP/2 server has no idle-connection bookkeeping of its own, so it is kept here:
 * HTTP/2 sessions, and HTTP/1.1 sockets with their number of requests in flight. Nor does it
 * apply a headers timeout to HTTP/1.1 clients, so that is kept here too: a socket with no
 * request in flight must deliver complete request headers within `headersTimeoutMs`, or it is
 * answered 408 and closed (slow-loris defence, as on plain HTTP).
 */
async function listenTls(
  host: string,
  port: number,
  handler: RequestHandler,
  credentials: TlsCredentials,
  headersTimeoutMs: number,
) {
  const server = createSecureServer(
    { ...credentials, allowHTTP1: true, minVersion: TLS_MIN_VERSION },
    overHttp2(handler),
  );
  server.setTimeout(TLS_IDLE_TIMEOUT_MS);
  const sessions = new Set<Http2Session>();
  const http1InFlight = new Map<Socket, number>();
  const headerDeadlines = new Map<Socket, NodeJS.Timeout>();
  const awaitHeaders = (socket: Socket) => {
    clearTimeout(headerDeadlines.get(socket));
    headerDeadlines.set(
      socket,
      setTimeout(() => {
        headerDeadlines.delete(socket);
        socket.end(REQUEST_TIMEOUT_ANSWER);
        socket.destroySoon();
      }, headersTimeoutMs).unref(),
    );
  };
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.alpnProtocol === 'h2') return;
    http1InFlight.set(socket, 0);
    awaitHeaders(socket);
    socket.once('close', () => {
      http1InFlight.delete(socket);
      clearTimeout(headerDeadlines.get(socket));
      headerDeadlines.delete(socket);
    });
  });
  server.on(
    'request',
    (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
      if (req.httpVersionMajor !== 1) return;
      const socket = req.socket;
      clearTimeout(headerDeadlines.get(socket));
      headerDeadlines.delete(socket);
      http1InFlight.set(socket, (http1InFlight.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const inFlight = http1InFlight.get(socket);
        if (inFlight === undefined) return;
        http1InFlight.set(socket, Math.max(0, inFlight - 1));
        // The next request on this connection gets the same headers deadline.
        if (inFlight <= 1 && !socket.destroyed) awaitHeaders(socket);
      });
    },
  );
  const address = await bind(server, host, port);
  return {
    url: urlOf('https', address),
    secure: true,
    closeIdleConnections: () => {
      for (const session of sessions) if (!session.closed) session.close();
      for (const [socket, inFlight] of http1InFlight) if (inFlight === 0) socket.destroy();
    },
    closeAllConnections: () => {
      for (const session of sessions) session.destroy();
      for (const socket of http1InFlight.keys()) socket.destroy();
    },
    close: () => closed(server),
  } satisfies Listener;
}

/** Listens with HTTPS (HTTP/1.1 + HTTP/2, TLS ≥ 1.2) when credentials are given, else HTTP. */
export function listen(options: {
  host: string;
  port: number;
  tls: TlsCredentials | null;
  handler: RequestHandler;
  /** Longest time a client may take to send complete request headers (HTTP/1.1). */
  headersTimeoutMs: number;
}): Promise<Listener> {
  return options.tls
    ? listenTls(options.host, options.port, options.handler, options.tls, options.headersTimeoutMs)
    : listenPlain(options.host, options.port, options.handler, options.headersTimeoutMs);
}

/**
 * The answer of the plain-HTTP redirect port: 308 to the same path on the HTTPS origin. Only
 * path and query are taken from the request, so no request can redirect to another host.
 */
export function redirectToHttps(httpsOriginFor: (host: string | undefined) => string | null) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    const origin = httpsOriginFor(req.headers.host);
    if (origin === null) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bad request\n');
      return;
    }
    const requested = new URL(req.url ?? '/', 'http://placeholder');
    res.writeHead(308, {
      location: `${origin}${requested.pathname}${requested.search}`,
      'content-length': 0,
      'cache-control': 'no-store',
    });
    res.end();
  };
}

/**
 * The HTTPS origin a redirect goes to: the configured public origin, or else the host the
 * client asked for, on the HTTPS port.
 */
export function httpsOriginFor(options: { publicOrigin: string; httpsPort: number }) {
  return (hostHeader: string | undefined): string | null => {
    if (options.publicOrigin.startsWith('https://')) return options.publicOrigin;
    if (hostHeader === undefined) return null;
    let hostname: string;
    try {
      hostname = new URL(`http://${hostHeader}`).hostname;
    } catch {
      return null;
    }
    const port = options.httpsPort === 443 ? '' : `:${options.httpsPort}`;
    return `https://${hostname}${port}`;
  };
}
