import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as http2Connect, type ClientHttp2Session } from 'node:http2';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connect as tlsConnect,
  createServer as createTlsServer,
  type ConnectionOptions,
} from 'node:tls';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { STRICT_TRANSPORT_SECURITY } from '../../server/http/headers';
import { httpsOriginFor } from '../../server/http/transport';
import { createLogger } from '../../server/log';
import { repoRoot } from '../helpers/server';

/**
 * HTTPS as an operator configures it (NYCKEL_TLS_CERT / NYCKEL_TLS_KEY, a redirect port),
 * against the real app in this process, with a certificate made by openssl for this run.
 */
const workDir = mkdtempSync(join(tmpdir(), 'nyckel-tls-'));
const certFile = join(workDir, 'cert.pem');
const keyFile = join(workDir, 'key.pem');
const otherKeyFile = join(workDir, 'other-key.pem');
let cert: Buffer;
let server: RunningServer;
let origin: URL;
let logText = '';
/** Short, so the slow-loris test below does not wait the 20 s default. */
const HEADERS_TIMEOUT_MS = 1500;

function makeCertificate() {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('these tests need openssl on the PATH (Debian: apt-get install openssl)');
  }
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  execFileSync(
    'openssl',
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', otherKeyFile],
    {
      stdio: 'ignore',
    },
  );
  return readFileSync(certFile);
}

function configFor(env: Record<string, string>) {
  const loaded = loadConfig({
    NYCKEL_DATA_DIR: mkdtempSync(join(workDir, 'data-')),
    PORT: '0',
    HOST: '127.0.0.1',
    NYCKEL_DEMO: 'off',
    NYCKEL_STATIC_DIR: join(repoRoot, 'build'),
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.config;
}

const logSink = () =>
  createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString('utf8');
        done();
      },
    }),
  );

beforeAll(async () => {
  cert = makeCertificate();
  server = await startServer(
    configFor({
      NYCKEL_TLS_CERT: certFile,
      NYCKEL_TLS_KEY: keyFile,
      NYCKEL_HTTP_REDIRECT_PORT: '0',
      NYCKEL_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    }),
    logSink(),
  );
  origin = new URL(server.url);
});

afterAll(async () => {
  await server?.shutdown('test over');
  rmSync(workDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  protocol: string;
}

/** One HTTPS/1.1 request, verifying the server's certificate against ours. */
function h1(path: string, options: RequestOptions & { body?: string } = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const req = httpsRequest(
      { host: origin.hostname, port: origin.port, path, ca: cert, agent: false, ...options },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            protocol: `HTTP/${res.httpVersion}`,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** One request on an HTTP/2 session. */
function h2(
  session: ClientHttp2Session,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const stream = session.request({
      ':path': path,
      ':method': options.method ?? 'GET',
      ...options.headers,
    });
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    stream.on('response', (received) => {
      headers = { ...received };
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () =>
      resolvePromise({
        status: Number(headers[':status']),
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        protocol: 'HTTP/2',
      }),
    );
    stream.on('error', reject);
    stream.end(options.body);
  });
}

const connectH2 = () =>
  new Promise<ClientHttp2Session>((resolvePromise, reject) => {
    const session = http2Connect(server.url, { ca: cert });
    session.once('connect', () => resolvePromise(session));
    session.once('error', reject);
  });

const newEntityBody = () =>
  JSON.stringify({
    capabilityHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
    profile: { sni: null, employeeBand: null, county: null },
  });

const anImmutableAsset = () => {
  const dir = join(repoRoot, 'build/_app/immutable/entry');
  const file = readdirSync(dir).find((name) => name.endsWith('.js'));
  if (!file) throw new Error('build the app first (npx vite build)');
  return `/_app/immutable/entry/${file}`;
};

describe('HTTPS on one port: HTTP/1.1 and HTTP/2', () => {
  it('listens with https and a verified certificate', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('HTTP/1.1: the app shell, HSTS and the strict CSP', async () => {
    const answer = await h1('/');
    expect(answer.protocol).toBe('HTTP/1.1');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('manifest.webmanifest');
    expect(answer.headers['strict-transport-security']).toBe(STRICT_TRANSPORT_SECURITY);
    expect(answer.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('HTTP/1.1: tRPC query and mutation through the standalone adapter', async () => {
    const health = await h1('/api/finance/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ result: { data: { store: 'finance' } } });
    const created = await h1('/api/finance/createEntity', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: newEntityBody(),
    });
    expect(created.status).toBe(200);
    expect(JSON.parse(created.body).result.data.entityId).toMatch(/^[0-9a-f]{32}$/);
    expect(created.headers['cache-control']).toBe('no-store');
  });

  it('HTTP/2: ALPN picks h2; static files, SPA fallback and cache headers work unchanged', async () => {
    const session = await connectH2();
    try {
      expect(session.alpnProtocol).toBe('h2');
      const shell = await h2(session, '/');
      expect(shell.status).toBe(200);
      expect(shell.headers['content-type']).toMatch(/text\/html/);
      expect(shell.body).toContain('manifest.webmanifest');
      expect(shell.headers['strict-transport-security']).toBe(STRICT_TRANSPORT_SECURITY);
      expect(shell.headers['cross-origin-resource-policy']).toBe('same-origin');

      const fallback = await h2(session, '/files');
      expect(fallback.status).toBe(200);
      expect(fallback.body).toBe(shell.body);

      const asset = await h2(session, anImmutableAsset());
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.body.length).toBeGreaterThan(0);

      const missing = await h2(session, '/api/nothing');
      expect(missing.status).toBe(404);
      expect(missing.headers['cache-control']).toBe('no-store');
    } finally {
      session.close();
    }
  });

  it('HTTP/2: tRPC queries, batches and mutations through the standalone adapter', async () => {
    const session = await connectH2();
    try {
      const health = await h2(session, '/api/identity/health');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ result: { data: { store: 'identity' } } });

      const batch = await h2(session, '/api/finance/health,health?batch=1&input={}');
      expect(batch.status).toBe(200);
      expect(JSON.parse(batch.body)).toHaveLength(2);

      const created = await h2(session, '/api/finance/createEntity', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: newEntityBody(),
      });
      expect(created.status).toBe(200);
      expect(JSON.parse(created.body).result.data.entityId).toMatch(/^[0-9a-f]{32}$/);

      // The body limit, the JSON-only rule and the origin check hold on HTTP/2 as well.
      const plain = await h2(session, '/api/finance/createEntity', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      });
      expect(plain.status).toBe(415);
      const crossSite = await h2(session, '/api/finance/createEntity', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: newEntityBody(),
      });
      expect(crossSite.status).toBe(403);
    } finally {
      session.close();
    }
  });
});

/**
 * An HTTP/1.1-over-TLS client that sends `firstRequest` at once, then a header line every
 * 300 ms and never finishes; resolves with what it got back and when the server closed.
 */
function slowTlsClient(firstRequest = '') {
  const started = Date.now();
  return new Promise<{ afterMs: number; answer: string }>((resolvePromise, reject) => {
    const socket = tlsConnect({
      host: origin.hostname,
      port: Number(origin.port),
      ca: cert,
      ALPNProtocols: ['http/1.1'],
    });
    let answer = '';
    let drip: NodeJS.Timeout | undefined;
    socket.on('secureConnect', () => {
      socket.write(`${firstRequest}GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      drip = setInterval(() => socket.write(`X-Drip-${Date.now()}: 1\r\n`), 300);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', (error) => {
      if (answer === '') reject(error);
    });
    socket.on('close', () => {
      clearInterval(drip);
      resolvePromise({ afterMs: Date.now() - started, answer });
    });
  });
}

describe('slow clients over HTTPS/1.1', () => {
  it('a client that never finishes its headers is answered 408 and cut after the headers timeout', async () => {
    const slow = slowTlsClient();
    // Meanwhile everyone else is served on both protocols.
    expect((await h1('/healthz', { ca: cert })).status).toBe(200);
    const session = await connectH2();
    try {
      expect((await h2(session, '/healthz')).status).toBe(200);
    } finally {
      session.close();
    }
    const { afterMs, answer } = await slow;
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 3000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
  });

  it('the deadline applies again to the next request on a kept-alive connection', async () => {
    const complete = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const { afterMs, answer } = await slowTlsClient(complete);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/HTTP\/1\.1 408 Request Timeout/);
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 3000);
  });
});

describe('TLS versions', () => {
  const attempt = (options: ConnectionOptions, port = Number(origin.port)) =>
    new Promise<{ ok: true; protocol: string | null } | { ok: false; code: string }>(
      (resolvePromise) => {
        const socket = tlsConnect(
          { host: '127.0.0.1', port, ca: cert, servername: 'localhost', ...options },
          () => {
            resolvePromise({ ok: true, protocol: socket.getProtocol() });
            socket.end();
          },
        );
        socket.on('error', (error: NodeJS.ErrnoException) =>
          resolvePromise({ ok: false, code: error.code ?? error.message }),
        );
      },
    );
  // OpenSSL 3 refuses TLS 1.1 on its own at the default security level; level 0 lets this
  // client offer it, so a refusal can only come from the server.
  const tls11 = {
    minVersion: 'TLSv1.1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT@SECLEVEL=0',
  } as const satisfies ConnectionOptions;

  it('the TLS 1.1 client used below does work against a server that allows TLS 1.1', async () => {
    const lenient = createTlsServer({
      cert,
      key: readFileSync(keyFile),
      minVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    lenient.on('secureConnection', (socket) => socket.end());
    await new Promise<void>((done) => lenient.listen(0, '127.0.0.1', done));
    try {
      const address = lenient.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      expect(await attempt(tls11, port)).toEqual({ ok: true, protocol: 'TLSv1.1' });
    } finally {
      await new Promise((done) => lenient.close(done));
    }
  });

  it('Nyckel refuses TLS 1.1 with a protocol-version alert', async () => {
    expect(await attempt(tls11)).toEqual({
      ok: false,
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
  });

  it('accepts TLS 1.2 and TLS 1.3', async () => {
    expect(await attempt({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toEqual({
      ok: true,
      protocol: 'TLSv1.2',
    });
    expect(await attempt({ minVersion: 'TLSv1.3' })).toEqual({ ok: true, protocol: 'TLSv1.3' });
  });
});

describe('the HTTP redirect port', () => {
  const plain = (path: string, options: { method?: string; host?: string } = {}) =>
    new Promise<{ status: number; location: string | undefined }>((resolvePromise, reject) => {
      const redirect = new URL(server.redirectUrl!);
      const req = httpRequest(
        {
          host: redirect.hostname,
          port: redirect.port,
          path,
          method: options.method ?? 'GET',
          agent: false,
          headers: options.host ? { host: options.host } : {},
        },
        (res) => {
          res.resume();
          resolvePromise({ status: res.statusCode ?? 0, location: res.headers.location });
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('answers every request with 308 to the same path and query over HTTPS', async () => {
    expect(server.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await plain('/files?tab=2')).toEqual({
      status: 308,
      location: `${server.url}/files?tab=2`,
    });
    expect(await plain('/api/finance/createEntity', { method: 'POST' })).toEqual({
      status: 308,
      location: `${server.url}/api/finance/createEntity`,
    });
  });

  it('cannot be made to redirect to another host through the path', async () => {
    for (const path of ['//evil.example/x', 'http://evil.example/x']) {
      const { status, location } = await plain(path);
      expect(status).toBe(308);
      expect(new URL(location!).origin).toBe(server.url);
    }
  });

  it('uses the public origin when one is configured, else the host asked for', () => {
    const pinned = httpsOriginFor({ publicOrigin: 'https://nyckel.example.se', httpsPort: 8443 });
    expect(pinned('evil.example')).toBe('https://nyckel.example.se');
    const byHost = httpsOriginFor({ publicOrigin: '', httpsPort: 443 });
    expect(byHost('nyckel.example.se:80')).toBe('https://nyckel.example.se');
    expect(byHost(undefined)).toBeNull();
    expect(byHost('bad host')).toBeNull();
  });
});

describe('TLS configuration', () => {
  it('refuses half a configuration with a message naming both variables', () => {
    const loaded = loadConfig({ NYCKEL_TLS_CERT: certFile });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.errors.join('\n')).toMatch(/NYCKEL_TLS_KEY: HTTPS needs both/);
    }
    const redirectOnly = loadConfig({ NYCKEL_HTTP_REDIRECT_PORT: '8080' });
    expect(redirectOnly.ok).toBe(false);
  });

  it('does not start with a missing file or a key that does not fit the certificate', async () => {
    await expect(
      startServer(
        configFor({ NYCKEL_TLS_CERT: join(workDir, 'nope.pem'), NYCKEL_TLS_KEY: keyFile }),
        logSink(),
      ),
    ).rejects.toThrow(
      /invalid TLS configuration: NYCKEL_TLS_CERT .*nope\.pem cannot be read \(ENOENT\)/,
    );
    await expect(
      startServer(
        configFor({ NYCKEL_TLS_CERT: certFile, NYCKEL_TLS_KEY: otherKeyFile }),
        logSink(),
      ),
    ).rejects.toThrow(/invalid TLS configuration: .*not usable/);
  });
});

describe('shutdown over HTTPS', () => {
  it('closes idle HTTP/2 sessions and HTTP/1.1 keep-alive sockets and stops promptly', async () => {
    const extra = await startServer(
      configFor({ NYCKEL_TLS_CERT: certFile, NYCKEL_TLS_KEY: keyFile }),
      logSink(),
    );
    const url = new URL(extra.url);
    const session = http2Connect(extra.url, { ca: cert });
    const closedSession = new Promise<void>((done) => session.once('close', () => done()));
    expect((await h2(session, '/healthz')).status).toBe(200);
    // An HTTP/1.1 connection kept alive after its response.
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: Number(url.port),
      ca: cert,
      servername: 'localhost',
    });
    await new Promise<void>((done) => socket.once('secureConnect', () => done()));
    socket.write(`GET /healthz HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
    await new Promise<void>((done) => socket.once('data', () => done()));
    const closedSocket = new Promise<void>((done) => socket.once('close', () => done()));
    socket.resume();

    const started = Date.now();
    await extra.shutdown('test');
    await Promise.all([closedSession, closedSocket]);
    // Well inside the 10 s grace period: idle connections are not waited for.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(logText).toContain('stopped: databases closed');
    // No request of this file failed inside the server (e.g. an HTTP/1-only call on HTTP/2).
    expect(logText).not.toMatch(/request failed|call failed|"level":50/);
  });
});
