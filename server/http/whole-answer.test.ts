import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from './respond';
import { answerInOnePiece } from './whole-answer';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** One GET to a server answering with `handler`: status, headers and body as received. */
async function answerOf(handler: Handler) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>(
    (resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      })
        .on('error', reject)
        .end();
    },
  );
}

describe('answers in one piece', () => {
  it('sends what the handler wrote in chunks as one body with its length', async () => {
    const answer = await answerOf((_req, res) => {
      answerInOnePiece(res);
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.write(new TextEncoder().encode('{"a":"å'));
      res.write('ä",');
      res.end('"b":1}');
    });
    expect(answer.status).toBe(201);
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"åä","b":1}')));
    expect(JSON.parse(answer.body)).toStrictEqual({ a: 'åä', b: 1 });
  });

  it('without it the same handler answers chunked (what it replaces)', async () => {
    const answer = await answerOf((_req, res) => {
      res.write('{"a":');
      res.end('1}');
    });
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.body).toBe('{"a":1}');
  });

  it('drops the handler’s answer when another was sent first (the deadline)', async () => {
    const answer = await answerOf((_req, res) => {
      answerInOnePiece(res);
      res.write('{"partial":');
      sendJson(res, 503, { error: { reason: 'DEADLINE_EXCEEDED' } });
      res.write('"late"');
      res.end('}');
    });
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toStrictEqual({ error: { reason: 'DEADLINE_EXCEEDED' } });
  });
});
