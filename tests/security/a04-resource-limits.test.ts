import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeAccount } from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import {
  awaitLogLines,
  callProcedure,
  demoPayloads,
  logLines,
  send,
  startSecurityServer,
  wireError,
} from './helpers';

/**
 * OWASP A04:2021 Insecure Design: resources a client can tie up are bounded. Slow-loris
 * connections are cut (HTTP/1.1 headers timeout, 20 s, checked every 30 s by Node) while
 * everyone else is served; an API request has a deadline; bodies, batches and nesting are
 * limited.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startSecurityServer();
});
afterAll(async () => {
  await server?.dispose();
});

/** A refusal from the HTTP layer itself (not a tRPC error). */
const transportError = z.object({
  error: z.object({ message: z.string(), messageSv: z.string(), reason: z.string() }),
});

interface SlowClient {
  socket: Socket;
  closed: Promise<{ afterMs: number; answer: string }>;
}

/** Sends a request line and then one header line every two seconds, never finishing. */
function slowLoris(port: number): Promise<SlowClient> {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const drip = setInterval(() => socket.write(`X-Drip-${Date.now()}: 1\r\n`), 2000);
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('error', () => {});
      const closed = new Promise<{ afterMs: number; answer: string }>((done) =>
        socket.on('close', () => {
          clearInterval(drip);
          done({ afterMs: Date.now() - started, answer });
        }),
      );
      resolvePromise({ socket, closed });
    });
  });
}

describe('A04 Insecure Design: resource limits', () => {
  it('slow-loris connections are cut with 408 while other clients are served', async () => {
    const port = Number(new URL(server.url).port);
    const slow = await Promise.all(Array.from({ length: 40 }, () => slowLoris(port)));
    try {
      // During the attack a normal client is answered at once.
      for (let i = 0; i < 5; i += 1) {
        const started = Date.now();
        const response = await send(server.url, '/healthz');
        expect(response.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(2000);
        await new Promise((done) => setTimeout(done, 1000));
      }
      const outcomes = await Promise.all(slow.map((client) => client.closed));
      for (const { afterMs, answer } of outcomes) {
        // 20 s headers timeout, found by Node's check that runs every 30 s.
        expect(afterMs).toBeGreaterThanOrEqual(19_000);
        expect(afterMs).toBeLessThan(55_000);
        expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
      }
    } finally {
      for (const client of slow) client.socket.destroy();
    }
  }, 90_000);

  it('a body declared over the limit is refused with 413 before it is read', async () => {
    // Only the headers and a first slice go out: the refusal must come from the declared
    // length alone. (Writing all 2 MiB would race the server closing the connection, EPIPE.)
    const [payload] = demoPayloads(1);
    const start = JSON.stringify({ entityId: 'x'.repeat(32), capability: 'y', payload });
    const response = await send(server.url, '/api/finance/uploadYears', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      body: start,
    });
    expect(response.status).toBe(413);
    expect(response.text).not.toMatch(/\n\s+at /);
  });

  it('a chunked body that grows over the limit is refused with 413 before it is parsed', async () => {
    const [payload] = demoPayloads(1);
    const huge = JSON.stringify({
      entityId: 'x'.repeat(32),
      capability: 'y',
      payload,
      pad: 'z'.repeat(2 * 1024 * 1024),
    });
    const response = await send(server.url, '/api/finance/uploadYears', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(response.text).not.toMatch(/\n\s+at /);
  });

  it('more than ten calls in one batch are refused', async () => {
    const paths = Array.from({ length: 11 }, () => 'health').join(',');
    const response = await send(server.url, `/api/finance/${paths}?batch=1`);
    expect(response.status).toBe(400);
  });

  it('deeply nested JSON is refused as invalid, and the server stays up', async () => {
    const depth = 200_000;
    const body = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    for (const api of ['identity', 'finance'] as const) {
      const path = api === 'identity' ? 'register' : 'createEntity';
      const response = await send(server.url, `/api/${api}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status, api).toBe(400);
    }
    expect((await send(server.url, '/healthz')).status).toBe(200);
  });

  describe('the per-request API deadline', () => {
    let tight: TestServer;
    beforeAll(async () => {
      tight = await startSecurityServer({ NYCKEL_API_DEADLINE_MS: '10' });
    });
    afterAll(async () => {
      await tight?.dispose();
    });

    it('answers 503 DEADLINE_EXCEEDED when a handler takes longer, without an internal error', async () => {
      // A registration hashes two keys with Argon2id: far longer than 10 ms.
      const response = await callProcedure(
        tight.url,
        { api: 'identity', path: 'register', type: 'mutation' },
        fakeAccount().registerInput,
      );
      expect(response.status).toBe(503);
      const { error } = transportError.parse(response.json);
      expect(error.reason).toBe('DEADLINE_EXCEEDED');
      expect(error.message).toMatch(/took too long/);
      expect(error.messageSv).toMatch(/för lång tid/);
      expect(wireError(response)).toBeNull();
      // The late answer of the handler is dropped quietly, and the server carries on.
      await new Promise((done) => setTimeout(done, 500));
      expect((await send(tight.url, '/healthz')).status).toBe(200);
      const metrics = (await send(tight.url, '/metrics')).text;
      expect(metrics).toMatch(/nyckel_errors_total\{api="identity"\} 0/);
      const over = await awaitLogLines(
        tight,
        (line) => line['msg'] === 'API request over its deadline',
      );
      expect(over).toHaveLength(1);
      expect(logLines(tight).filter((line) => line['level'] === 50)).toEqual([]);
    });
  });
});
