import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedOrigins, checkOrigin } from '../../server/http/origin';
import { fakeAccount, mailbox, signUp } from '../helpers/identity-http';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Cross-site request forgery against the real server: what a page on another site can make
 * a browser send (any Origin, form content types) and what it gets.
 */
let server: TestServer;
let pinned: TestServer;
const PUBLIC_ORIGIN = 'https://nyckel.example.se';

beforeAll(async () => {
  [server, pinned] = await Promise.all([
    startTestServer(),
    startTestServer({ env: { NYCKEL_PUBLIC_ORIGIN: PUBLIC_ORIGIN } }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.dispose(), pinned?.dispose()]);
});

const newEntity = () => ({
  capabilityHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
  profile: { sni: null, employeeBand: null, county: null },
});

const post = (
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  on: TestServer = server,
) =>
  fetch(new URL(path, on.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const entityCount = (on: TestServer = server) => {
  const db = new Database(join(on.dataDir, 'finance.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM entity').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

const userCount = () => {
  const db = new Database(join(server.dataDir, 'identity.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('Origin check on state-changing API calls', () => {
  it('refuses a cross-site POST with 403 JSON in English and Swedish, before doing anything', async () => {
    const before = entityCount();
    const response = await post('/api/finance/createEntity', newEntity(), {
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      error: {
        reason: 'ORIGIN_REFUSED',
        message: expect.stringContaining('another website'),
        messageSv: expect.stringContaining('annan webbplats'),
      },
    });
    expect(entityCount()).toBe(before);
  });

  it('refuses cross-site registration and login (no account, no mail, no session)', async () => {
    const users = userCount();
    const account = fakeAccount();
    const registered = await post('/api/identity/register', account.registerInput, {
      origin: 'https://evil.example',
    });
    expect(registered.status).toBe(403);
    const login = await post(
      '/api/identity/login',
      { email: account.email, authKey: account.authKey },
      { origin: 'http://evil.example' },
    );
    expect(login.status).toBe(403);
    expect(login.headers.getSetCookie()).toEqual([]);
    expect(userCount()).toBe(users);
    expect(
      mailbox(server.dataDir)
        .all()
        .filter((m) => m.to.includes(account.email)),
    ).toEqual([]);
  });

  it('refuses the opaque origin "null" (sandboxed frames, some redirects) and other ports', async () => {
    for (const origin of ['null', new URL(server.url).origin.replace(/:\d+$/, ':1')]) {
      const response = await post('/api/finance/createEntity', newEntity(), { origin });
      expect(response.status, origin).toBe(403);
    }
  });

  it('a cross-site page cannot get around it with a form content type either', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const crossSite = await post('/api/finance/createEntity', 'a=1', {
        'content-type': type,
        origin: 'https://evil.example',
      });
      expect(crossSite.status, type).toBe(403);
      // Even from our own pages only JSON is accepted.
      const ownPage = await post('/api/finance/createEntity', 'a=1', {
        'content-type': type,
        origin: new URL(server.url).origin,
      });
      expect(ownPage.status, type).toBe(415);
    }
  });

  it('lets the app’s own pages through, under each loopback name of a loopback bind', async () => {
    const { port } = new URL(server.url);
    for (const origin of [
      new URL(server.url).origin,
      `http://localhost:${port}`,
      `http://[::1]:${port}`,
    ]) {
      const response = await post('/api/finance/createEntity', newEntity(), { origin });
      expect(response.status, origin).toBe(200);
    }
  });

  it('lets requests without Origin through: the CLI and scripts are not browsers', async () => {
    const before = entityCount();
    const response = await post('/api/finance/createEntity', newEntity());
    expect(response.status).toBe(200);
    expect(entityCount()).toBe(before + 1);
  });

  it('queries (GET) change nothing and pass from anywhere', async () => {
    const response = await fetch(new URL('/api/identity/health', server.url), {
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(200);
  });

  it('with NYCKEL_PUBLIC_ORIGIN only that origin passes, not the listening address', async () => {
    const before = entityCount(pinned);
    const own = await post(
      '/api/finance/createEntity',
      newEntity(),
      { origin: PUBLIC_ORIGIN },
      pinned,
    );
    expect(own.status).toBe(200);
    const listening = await post(
      '/api/finance/createEntity',
      newEntity(),
      { origin: new URL(pinned.url).origin },
      pinned,
    );
    expect(listening.status).toBe(403);
    expect(entityCount(pinned)).toBe(before + 1);
  });

  it('streamed tRPC responses are refused (one JSON document per request)', async () => {
    const streamed: Record<string, string>[] = [
      { 'trpc-accept': 'application/jsonl' },
      { accept: 'text/html, application/jsonl' },
    ];
    for (const headers of streamed) {
      const response = await post('/api/identity/login', fakeAccount(), headers);
      expect(response.status).toBe(406);
      expect(await response.json()).toMatchObject({ error: { reason: 'STREAMING_REFUSED' } });
    }
    const plain = await fetch(new URL('/api/identity/health', server.url), {
      headers: { accept: 'application/json', 'trpc-accept': 'application/json' },
    });
    expect(plain.status).toBe(200);
  });
});

describe('the session cookie', () => {
  it('is SameSite=Strict, HttpOnly, Secure and scoped to the identity API', async () => {
    const client = await signUp(server.url, mailbox(server.dataDir));
    const session = client.jar.setCookies.find((c) => c.startsWith('__Secure-nyckel_session='));
    expect(session).toBeDefined();
    const attributes = session!
      .split(';')
      .slice(1)
      .map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(['samesite=strict', 'httponly', 'secure', 'path=/api/identity']),
    );
  });
});

describe('allowed origins', () => {
  it('a wildcard bind without public origin compares Origin with the request’s own host', () => {
    const allowed = allowedOrigins({ publicOrigin: '', listeningUrl: 'http://0.0.0.0:8080' });
    expect(allowed).toEqual({ kind: 'same-host', scheme: 'http' });
    const host = { host: '192.168.1.20:8080' };
    expect(checkOrigin({ ...host, origin: 'http://192.168.1.20:8080' }, allowed).ok).toBe(true);
    expect(checkOrigin({ ...host, origin: 'http://evil.example' }, allowed).ok).toBe(false);
    expect(checkOrigin({ origin: 'http://192.168.1.20:8080' }, allowed).ok).toBe(false);
    // HTTP/2 requests name the host in :authority.
    const h2 = allowedOrigins({ publicOrigin: '', listeningUrl: 'https://[::]:8443' });
    expect(
      checkOrigin({ ':authority': 'nyckel.lan:8443', origin: 'https://nyckel.lan:8443' }, h2).ok,
    ).toBe(true);
  });

  it('a specific address allows exactly its own origin; a public origin replaces it', () => {
    const specific = allowedOrigins({ publicOrigin: '', listeningUrl: 'http://10.0.0.5:8080' });
    expect(checkOrigin({ origin: 'http://10.0.0.5:8080' }, specific).ok).toBe(true);
    expect(checkOrigin({ origin: 'http://localhost:8080' }, specific).ok).toBe(false);
    const pinnedOrigins = allowedOrigins({
      publicOrigin: 'https://nyckel.example.se',
      listeningUrl: 'https://127.0.0.1:8443',
    });
    expect(checkOrigin({ origin: 'https://nyckel.example.se' }, pinnedOrigins).ok).toBe(true);
    expect(checkOrigin({ origin: 'https://127.0.0.1:8443' }, pinnedOrigins).ok).toBe(false);
  });
});
