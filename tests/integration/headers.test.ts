import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { clientAddress, requestIsHttps } from '../../server/http/proxy';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/**
 * The security headers of every kind of response of the real server, and the CSP checked
 * against the app shell it actually serves.
 */
let server: TestServer;
let proxied: TestServer;

beforeAll(async () => {
  [server, proxied] = await Promise.all([
    startTestServer(),
    startTestServer({
      env: { NYCKEL_TRUST_PROXY: 'on', NYCKEL_PUBLIC_ORIGIN: 'https://nyckel.example.se' },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.dispose(), proxied?.dispose()]);
});

const get = (path: string, init?: RequestInit, on: TestServer = server) =>
  fetch(new URL(path, on.url), init);

/** `name value…; name value…` as a map from directive name to its sources. */
const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );

/** The sha256 sources a browser needs for the inline scripts of an HTML page. */
const inlineScriptSources = (html: string) =>
  [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`,
  );

const immutableScript = () => {
  const file = readdirSync(join(repoRoot, 'build/_app/immutable/entry')).find((f) =>
    f.endsWith('.js'),
  );
  return `/_app/immutable/entry/${file}`;
};

describe('Content-Security-Policy', () => {
  it('is the strict policy, with no inline script allowed but the app shell’s own', async () => {
    const response = await get('/');
    const html = await response.text();
    const policy = directives(response.headers.get('content-security-policy') ?? '');
    const inline = inlineScriptSources(html);
    expect(inline.length).toBeGreaterThan(0);

    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", ...inline]);
    expect(policy.get('worker-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
    const scriptSources = policy.get('script-src') ?? [];
    expect(scriptSources).not.toContain("'unsafe-inline'");
    expect(scriptSources).not.toContain("'unsafe-eval'");
    expect(scriptSources).not.toContain("'strict-dynamic'");
  });

  it('the built page carries the same policy in a <meta> (for hosts that drop headers)', async () => {
    const html = await (await get('/')).text();
    const meta = /<meta http-equiv="content-security-policy" content="([^"]+)">/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const header = directives((await get('/')).headers.get('content-security-policy') ?? '');
    const fromMeta = directives(meta!);
    // A <meta> cannot carry frame-ancestors; every other directive is the header's.
    for (const [name, sources] of fromMeta) {
      expect([...sources].sort(), name).toEqual([...(header.get(name) ?? [])].sort());
    }
    expect([...fromMeta.keys()].sort()).toEqual(
      [...header.keys()].filter((name) => name !== 'frame-ancestors').sort(),
    );
  });
});

describe('security headers on every response', () => {
  const requests: [string, string, RequestInit?][] = [
    ['app shell', '/'],
    ['client route (SPA fallback)', '/files'],
    ['manifest', '/manifest.webmanifest'],
    ['hashed script', immutableScript()],
    ['service worker', '/service-worker.js'],
    ['liveness', '/healthz'],
    ['readiness', '/readyz'],
    ['metrics', '/metrics'],
    ['identity query', '/api/identity/health'],
    ['finance query', '/api/finance/health'],
    [
      'tRPC error',
      '/api/finance/listYears',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    ],
    ['unknown API', '/api/nothing'],
    ['method not allowed', '/', { method: 'DELETE' }],
    ['unsupported body', '/api/identity/login', { method: 'POST', body: 'x' }],
  ];

  it.each(requests)('%s', async (_name, path, init) => {
    const response = await get(path, init);
    await response.arrayBuffer();
    const headers = response.headers;
    expect(headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src /);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(headers.get('permissions-policy')).toMatch(/camera=\(\).*microphone=\(\)/);
    // Plain HTTP: no HSTS (browsers ignore it there, and it must not pin a dev host).
    expect(headers.get('strict-transport-security')).toBeNull();
    if (path.startsWith('/api/')) expect(headers.get('cache-control')).toBe('no-store');
  });
});

describe('behind a trusted reverse proxy', () => {
  it('sends HSTS when the proxy says the browser used HTTPS, and only then', async () => {
    const viaHttps = await get('/', { headers: { 'x-forwarded-proto': 'https' } }, proxied);
    expect(viaHttps.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    const viaHttp = await get('/', { headers: { 'x-forwarded-proto': 'http' } }, proxied);
    expect(viaHttp.headers.get('strict-transport-security')).toBeNull();
    const direct = await get('/', {}, proxied);
    expect(direct.headers.get('strict-transport-security')).toBeNull();
  });

  it('without NYCKEL_TRUST_PROXY the forwarded headers are ignored', async () => {
    const response = await get('/', { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('believes only the entry the proxy appended to X-Forwarded-For', () => {
    const headers = {
      'x-forwarded-for': '203.0.113.66, 198.51.100.7',
      'x-forwarded-proto': 'https',
    };
    const trusted = { listenerIsTls: false, trustProxy: true };
    const untrusted = { listenerIsTls: false, trustProxy: false };
    expect(clientAddress(headers, '10.0.0.2', trusted)).toBe('198.51.100.7');
    expect(clientAddress(headers, '10.0.0.2', untrusted)).toBe('10.0.0.2');
    expect(clientAddress({}, '10.0.0.2', trusted)).toBe('10.0.0.2');
    expect(requestIsHttps(headers, untrusted)).toBe(false);
    expect(requestIsHttps({ 'x-forwarded-proto': 'http, https' }, trusted)).toBe(true);
    expect(requestIsHttps({}, { listenerIsTls: true, trustProxy: false })).toBe(true);
  });

  it('refuses to start trusting a proxy without a public origin', () => {
    const loaded = loadConfig({ NYCKEL_TRUST_PROXY: 'on' });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok)
      expect(loaded.errors.join('\n')).toMatch(/NYCKEL_TRUST_PROXY: .*NYCKEL_PUBLIC_ORIGIN/);
    const bad = loadConfig({ NYCKEL_TRUST_PROXY: 'maybe' });
    expect(bad.ok).toBe(false);
  });
});
