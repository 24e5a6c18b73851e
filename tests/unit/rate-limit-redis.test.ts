import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createRateLimits, subjectHasher } from '../../server/http/rate-limit';
import { openRateLimitStore } from '../../server/http/rate-limit-redis';

/**
 * The Redis path without a Redis server: the real client and rate-limiter-flexible's Redis
 * limiter against a port where nothing answers. Limits keep counting (in memory) while Redis
 * is unreachable, the log says so once, by error code only, and the URL's secret never
 * appears. The memory path is tests/unit/rate-limit.test.ts.
 */
function recordingLog() {
  const lines: { level: string; fields: unknown; msg: string }[] = [];
  const record = (level: string) => (fields: unknown, msg?: string) => {
    lines.push({ level, fields, msg: msg ?? String(fields) });
  };
  return { lines, log: { info: record('info'), warn: record('warn') } };
}

/** A local port that refuses connections (bound, then closed). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((done) => server.close(done));
  return port;
}

describe('rate limits with NYCKEL_REDIS_URL', () => {
  it('memory is the default: no Redis client is loaded', async () => {
    const { log, lines } = recordingLog();
    const store = await openRateLimitStore('', log);
    expect(store.kind).toBe('memory');
    await store.close();
    expect(lines).toEqual([]);
  });

  it('keeps counting in memory while Redis is unreachable, and says so once without the URL', async () => {
    const { log, lines } = recordingLog();
    const url = `redis://:very-secret-password@127.0.0.1:${await deadPort()}/0`;
    const store = await openRateLimitStore(url, log);
    expect(store.kind).toBe('redis');
    try {
      const limits = createRateLimits({
        overrides: { register_account: { points: 2, seconds: 60 } },
        block: { firstSeconds: 1, maxSeconds: 2 },
        store: store.store,
        hash: subjectHasher(Buffer.from('secret')),
      });
      const decisions = [];
      for (let i = 0; i < 3; i += 1) {
        decisions.push(await limits.consume('register_account', 'account:a@example.se'));
      }
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
      await expect.poll(() => lines.length).toBeGreaterThan(0);
      await new Promise((done) => setTimeout(done, 300));
      expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        fields: { code: 'ECONNREFUSED' },
        msg: 'rate limits: Redis unreachable, counting in memory until it is back',
      });
      expect(JSON.stringify(lines)).not.toContain('very-secret-password');
    } finally {
      await store.close();
    }
  });
});
