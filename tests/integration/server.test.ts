import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.dispose();
});

const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (bytes: Uint8Array) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

describe('health and readiness', () => {
  it('/healthz answers 200 with JSON while the process is up', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('/readyz reports both stores, each in WAL mode with foreign keys on', async () => {
    const response = await get('/readyz');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      ready: boolean;
      stores: { store: string; ok: boolean; journalMode: string; foreignKeys: boolean }[];
    };
    expect(body.ready).toBe(true);
    expect(body.stores.map((s) => s.store).sort()).toEqual(['finance', 'identity']);
    for (const store of body.stores) {
      expect(store).toMatchObject({ ok: true, journalMode: 'wal', foreignKeys: true });
    }
  });

  it('each tRPC router reports only its own store', async () => {
    const identity = await (await get('/api/identity/health')).json();
    const finance = await (await get('/api/finance/health')).json();
    expect(identity.result.data).toMatchObject({ store: 'identity', ok: true });
    expect(finance.result.data).toMatchObject({ store: 'finance', ok: true });
  });
});

describe('the app', () => {
  it('/ serves the single-page app shell', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('manifest.webmanifest');
    expect(html).toMatch(/_app\/immutable\//);
  });

  it('unknown app paths fall back to the shell so client routing works', async () => {
    const response = await get('/files');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('manifest.webmanifest');
  });

  it('/manifest.webmanifest is valid JSON with real 192 and 512 px PNG icons', async () => {
    const response = await get('/manifest.webmanifest');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/manifest\+json/);
    const manifest = (await response.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      theme_color: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(manifest).toMatchObject({ short_name: 'Nyckel', display: 'standalone', start_url: '/' });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    for (const size of [192, 512]) {
      const icon = manifest.icons.find(
        (i) => i.sizes === `${size}x${size}` && i.type === 'image/png',
      );
      expect(icon, `icon ${size}`).toBeDefined();
      const bytes = new Uint8Array(await (await get(icon!.src)).arrayBuffer());
      expect(pngSize(bytes)).toEqual({ width: size, height: size });
    }
  });

  it('serves a service worker that is always revalidated', async () => {
    const response = await get('/service-worker.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('nyckel-shell-');
  });

  it('sets baseline security headers', async () => {
    const response = await get('/');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('API boundary', () => {
  it('unknown API paths are 404 JSON, never the app shell', async () => {
    const response = await get('/api/nothing/here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('refuses non-JSON bodies', async () => {
    const response = await get('/api/finance/health', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
  });

  it('refuses bodies over the size limit', async () => {
    const response = await get('/api/finance/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
  });
});

describe('data directory', () => {
  it('holds identity.db and finance.db, each with its own migration table', () => {
    for (const store of ['identity', 'finance'] as const) {
      const file = join(server.dataDir, `${store}.db`);
      expect(existsSync(file)).toBe(true);
      const db = new Database(file, { readonly: true });
      try {
        const tables = db
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
          .all()
          .map((row) => (row as { name: string }).name);
        expect(tables).toContain(`${store}_migrations`);
        const other = store === 'identity' ? 'finance' : 'identity';
        expect(tables).not.toContain(`${other}_migrations`);
        const journal = JSON.parse(
          readFileSync(join('server', store, 'migrations', 'meta', '_journal.json'), 'utf8'),
        ) as { entries: unknown[] };
        const applied = db.prepare(`SELECT count(*) AS n FROM ${store}_migrations`).get() as {
          n: number;
        };
        expect(applied.n).toBe(journal.entries.length);
        const role = db.prepare(`SELECT value FROM store_meta WHERE key = 'role'`).get() as {
          value: string;
        };
        expect(role.value).toBe(store);
      } finally {
        db.close();
      }
    }
  });
});
