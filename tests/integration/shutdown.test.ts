import Database from 'better-sqlite3';
import { request } from 'node:http';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer | undefined;

afterAll(async () => {
  await server?.dispose();
});

interface Reply {
  status: number;
  body: string;
  at: number;
}

/**
 * Starts a POST whose body is sent in two halves; the second half is only sent when the
 * returned `finish` is called, so the request is genuinely in flight until then.
 */
function slowPost(baseUrl: string, path: string) {
  const body = JSON.stringify({ note: 'in flight during shutdown', padding: 'x'.repeat(4096) });
  const half = Math.floor(body.length / 2);
  const url = new URL(path, baseUrl);
  let sendRest: () => void = () => undefined;
  const reply = new Promise<Reply>((resolveReply, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolveReply({ status: res.statusCode ?? 0, body: text, at: Date.now() }),
        );
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, half));
    sendRest = () => req.end(body.slice(half));
  });
  return { reply, finish: () => sendRest() };
}

describe('graceful shutdown', () => {
  it('SIGTERM lets in-flight requests complete, exits 0 and leaves both databases intact', async () => {
    server = await startTestServer();
    const { url, dataDir } = server;

    const inFlight = [slowPost(url, '/api/identity/health'), slowPost(url, '/api/finance/health')];
    // Parallel ordinary requests racing the signal must each get a full answer or a refused
    // connection, never a half-written response.
    const burst = Array.from({ length: 20 }, () =>
      fetch(new URL('/readyz', url)).then(
        (response) => response.status,
        () => 'refused' as const,
      ),
    );
    await new Promise((r) => setTimeout(r, 200));

    const signalledAt = Date.now();
    const exitCode = server.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // The server is still waiting for these two bodies; it must not have exited.
    expect(server.process.exitCode).toBeNull();
    for (const request of inFlight) request.finish();

    const replies = await Promise.all(inFlight.map((r) => r.reply));
    const [identityReply, financeReply] = replies;
    for (const reply of replies) expect(reply.at).toBeGreaterThan(signalledAt);
    // Complete, well-formed tRPC answers: identity queries do not accept POST; finance
    // queries do (their capability stays out of URLs), so that one answers in full.
    expect(identityReply!.status).toBe(405);
    expect(JSON.parse(identityReply!.body)).toHaveProperty('error');
    expect(financeReply!.status).toBe(200);
    expect(JSON.parse(financeReply!.body).result.data).toMatchObject({
      store: 'finance',
      ok: true,
    });
    for (const status of await Promise.all(burst)) {
      expect([200, 503, 'refused']).toContain(status);
    }

    expect(await exitCode).toBe(0);
    expect(server.output()).toContain('databases closed');

    for (const store of ['identity', 'finance']) {
      const file = join(dataDir, `${store}.db`);
      const wal = `${file}-wal`;
      // Checkpointed on close: nothing is left only in the write-ahead log.
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
    }
  });
});
