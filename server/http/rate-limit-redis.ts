import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { memoryStore, type LimiterStore } from './rate-limit';

export interface RateLimitStore {
  store: LimiterStore;
  /** `memory` or `redis`, for the start-up log line. */
  kind: 'memory' | 'redis';
  close: () => Promise<void>;
}

const MISSING_CLIENT =
  'NYCKEL_REDIS_URL is set, but the optional package ioredis is not installed (npm install ioredis)';

/**
 * Where the rate-limit counters live: this process's memory, or, with `NYCKEL_REDIS_URL`, a
 * Redis server every instance shares (DESIGN §8's scale-out path). The Redis client is
 * loaded only then. While Redis cannot be reached each limiter counts in memory instead
 * (rate-limiter-flexible's insurance limiter), so an outage neither stops logins nor lifts
 * the limits; one log line says so. The URL may hold a password: it is never logged.
 */
export async function openRateLimitStore(
  redisUrl: string,
  log: Pick<Logger, 'info' | 'warn'>,
): Promise<RateLimitStore> {
  if (redisUrl === '') {
    return { store: memoryStore, kind: 'memory', close: async () => {} };
  }
  const ioredis = await import('ioredis').catch(() => {
    throw new Error(MISSING_CLIENT);
  });
  const client = new ioredis.Redis(redisUrl, {
    // Commands fail at once while disconnected, so the memory insurance answers instead.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
  });
  let healthy = true;
  client.on('ready', () => {
    if (!healthy) log.info('rate limits: Redis reachable again');
    healthy = true;
  });
  client.on('error', (error: NodeJS.ErrnoException) => {
    if (!healthy) return;
    healthy = false;
    // The code only (ECONNREFUSED, …): messages may name the server, never the URL's secret.
    log.warn(
      { code: typeof error.code === 'string' ? error.code : 'unknown' },
      'rate limits: Redis unreachable, counting in memory until it is back',
    );
  });
  return {
    kind: 'redis',
    store: (options) =>
      new RateLimiterRedis({
        ...options,
        storeClient: client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      }),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
