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

/** Plain HTTP/1.1 with Node's own connection bookkeeping. */
async function listenPlain(host: string, port: number, handler: RequestHandler) {
  const server = createServer(handler);
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
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
 * HTTP/2 sessions, and HTTP/1.1 sockets with their number of requests in flight.
 */
async function listenTls(
  host: string,
  port: number,
  handler: RequestHandler,
  credentials: TlsCredentials,
) {
  const server = createSecureServer(
    { ...credentials, allowHTTP1: true, minVersion: TLS_MIN_VERSION },
    overHttp2(handler),
  );
  server.setTimeout(TLS_IDLE_TIMEOUT_MS);
  const sessions = new Set<Http2Session>();
  const http1InFlight = new Map<Socket, number>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.alpnProtocol === 'h2') return;
    http1InFlight.set(socket, 0);
    socket.once('close', () => http1InFlight.delete(socket));
  });
  server.on(
    'request',
    (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
      if (req.httpVersionMajor !== 1) return;
      const socket = req.socket;
      http1InFlight.set(socket, (http1InFlight.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const inFlight = http1InFlight.get(socket);
        if (inFlight !== undefined) http1InFlight.set(socket, Math.max(0, inFlight - 1));
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
}): Promise<Listener> {
  return options.tls
    ? listenTls(options.host, options.port, options.handler, options.tls)
    : listenPlain(options.host, options.port, options.handler);
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
