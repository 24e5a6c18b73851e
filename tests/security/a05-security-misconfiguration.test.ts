import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, type TestServer } from '../helpers/server';
import { leaksOf, send, startSecurityServer, storeCensus, type RawResponse } from './helpers';

/**
 * OWASP A05:2021 Security Misconfiguration: the headers and CSP on every kind of response,
 * errors that reveal nothing, no directory listings, no source maps, no project files, no
 * CORS, no default accounts.
 */
let server: TestServer;
const buildDir = join(repoRoot, 'build');

beforeAll(async () => {
  server = await startSecurityServer();
});
afterAll(async () => {
  await server?.dispose();
});

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

const servedPath = (file: string) => `/${relative(buildDir, file).split('\\').join('/')}`;

const REQUIRED_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

function expectHardened(response: RawResponse, what: string) {
  for (const [name, value] of Object.entries(REQUIRED_HEADERS)) {
    expect(response.headers[name], `${what}: ${name}`).toBe(value);
  }
  const csp = String(response.headers['content-security-policy']);
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) {
    expect(csp, what).toContain(directive);
  }
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
  expect(scriptSrc, what).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|data:|https?:/);
  expect(String(response.headers['permissions-policy']), what).toContain('camera=()');
  expect(response.headers['x-powered-by'], what).toBeUndefined();
  expect(response.headers['server'], what).toBeUndefined();
  expect(response.headers['access-control-allow-origin'], what).toBeUndefined();
}

describe('A05 Security Misconfiguration', () => {
  it('every kind of response carries the security headers and the strict CSP', async () => {
    const asset = filesUnder(join(buildDir, '_app/immutable')).find((f) => f.endsWith('.js'));
    expect(asset, 'build the app first (npm run build)').toBeDefined();
    const requests: [string, Parameters<typeof send>[2]?][] = [
      ['/'],
      ['/some/client/route'],
      [servedPath(asset!)],
      ['/service-worker.js'],
      ['/healthz'],
      ['/metrics'],
      ['/api/identity/health'],
      ['/api/finance/health', { method: 'POST', headers: { 'content-type': 'application/json' } }],
      ['/api/nothing-here'],
      [
        '/api/identity/login',
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' },
      ],
      ['/', { method: 'DELETE' }],
    ];
    for (const [path, options] of requests) {
      const response = await send(server.url, path, options);
      expectHardened(response, `${options?.method ?? 'GET'} ${path} (${response.status})`);
      if (path.startsWith('/api/'))
        expect(response.headers['cache-control'], path).toBe('no-store');
    }
  });

  it('errors reveal nothing of the server: no stack traces, paths or internal names', async () => {
    const attempts: [string, Parameters<typeof send>[2]?][] = [
      [
        '/api/identity/login',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' },
      ],
      [
        '/api/identity/login?batch=1',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[[[' },
      ],
      ['/api/identity/login'],
      ['/api/identity/no.such.procedure'],
      ['/api/identity/%E0%A4%A'],
      ['/api/finance/listYears?input=%7B%22entityId%22%3A1%7D'],
      ['/api/identity/me', { headers: { cookie: '__Secure-nyckel_session=%%%' } }],
      ['/api/identity/preLogin?input=' + encodeURIComponent(JSON.stringify({ email: { $ne: 1 } }))],
      ['/%c0%ae%c0%ae/'],
      [
        '/api/finance/health',
        { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'a=b' } },
      ],
    ];
    for (const [path, options] of attempts) {
      const response = await send(server.url, path, options);
      expect(response.status, path).toBeLessThan(500);
      expect(leaksOf(response.text), `${path}: ${response.text.slice(0, 200)}`).toEqual([]);
    }
  });

  it('directories are never listed: not found, or the app shell as for any client route', async () => {
    const shell = (await send(server.url, '/')).text;
    for (const dir of ['/_app/', '/_app/immutable/', '/_app/immutable/entry/', '/icons/']) {
      const response = await send(server.url, dir);
      if (response.status !== 404) expect(response.text, dir).toBe(shell);
      expect(response.text, dir).not.toMatch(/Index of|directory listing/i);
      // The shell names its own entry scripts; no other file of the directory appears.
      const unnamed = readdirSync(join(buildDir, dir)).filter(
        (name) => name.includes('.') && !shell.includes(name),
      );
      for (const name of unnamed) expect(response.text, dir).not.toContain(name);
    }
  });

  it('no source maps are built or served, and no file points to one', async () => {
    const files = filesUnder(buildDir);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((f) => /\.(m?js|css)$/.test(f))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/sourceMappingURL/);
      const map = await send(server.url, `${servedPath(file)}.map`);
      expect(map.text, `${file}.map`).not.toMatch(/"mappings"\s*:/);
    }
  });

  it('project files, dotfiles and databases are not served', async () => {
    const paths = [
      '/.env',
      '/.git/HEAD',
      '/.git/config',
      '/package.json',
      '/package-lock.json',
      '/server/app.ts',
      '/src/lib/core/crypto/keys.ts',
      '/data/identity.db',
      '/identity.db',
      '/finance.db',
      '/node_modules/zod/package.json',
      '/build/index.html',
    ];
    for (const path of paths) {
      const response = await send(server.url, path);
      expect(response.text, path).not.toMatch(
        /"name": ?"(nyckel|zod)"|ref: refs|\[core\]|SQLite format 3|export (async )?function/,
      );
    }
  });

  it('no cross-origin access is granted and methods outside the app are refused', async () => {
    const preflight = await send(server.url, '/api/identity/login', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH']) {
      const response = await send(server.url, '/', { method });
      expect(response.status, method).toBe(405);
    }
  });

  it('a fresh server has no account to log in with: no default credentials', () => {
    const { rows } = storeCensus(server, 'identity');
    expect(rows['users']).toBe(0);
  });
});
