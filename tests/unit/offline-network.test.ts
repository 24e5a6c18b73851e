import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinanceClient } from '../../src/lib/core/api/clients';
import { benchmarkKey } from '../../src/lib/offline/benchmarks';
import { isUnreachable } from '../../src/lib/offline/network';

/**
 * A cached answer may stand in only when the server could not be reached, never when it
 * answered with an error: checked against real sockets (a closed port, a proxy's HTML error
 * page, and a tRPC error body), with the same client the app uses.
 */
let server: Server;
let baseUrl = '';
let closedUrl = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.includes('proxy')) {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>Bad gateway</body></html>');
      return;
    }
    response.writeHead(401, { 'content-type': 'application/json' });
    const error = {
      message: 'refused',
      code: -32001,
      data: { code: 'UNAUTHORIZED', httpStatus: 401, reason: 'CAPABILITY_REFUSED' },
    };
    response.end(JSON.stringify([{ error }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const failure = (url: string) =>
  createFinanceClient({ baseUrl: url })
    .health.query()
    .then(
      () => null,
      (error: unknown) => error,
    );

describe('isUnreachable', () => {
  it('a refused connection is unreachable', async () => {
    expect(isUnreachable(await failure(closedUrl))).toBe(true);
  });

  it('an answer that is not from our API (a proxy error page) counts as unreachable', async () => {
    expect(isUnreachable(await failure(`${baseUrl}/proxy`))).toBe(true);
  });

  it('an error our server answered with is not: it is passed on, not replaced by a cache', async () => {
    const error = await failure(baseUrl);
    expect(error).not.toBeNull();
    expect(isUnreachable(error)).toBe(false);
  });

  it('errors that are not API calls are never taken for a lost connection', () => {
    expect(isUnreachable(new TypeError('Failed to fetch'))).toBe(false);
    expect(isUnreachable(null)).toBe(false);
  });
});

describe('benchmarkKey', () => {
  it('names entity, year (or newest) and level (or auto)', () => {
    expect(benchmarkKey('a'.repeat(32), {})).toBe(`${'a'.repeat(32)}|newest|auto`);
    expect(benchmarkKey('b1', { year: 2024, level: 'sni2' })).toBe('b1|2024|sni2');
    expect(benchmarkKey('b1', { year: undefined, level: undefined })).toBe('b1|newest|auto');
  });
});
