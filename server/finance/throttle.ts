/**
 * Throttling of failed capability checks, in memory (DESIGN §8). Two sliding windows:
 *
 * - per entity id: after `perEntity.limit` failures within `perEntity.windowMs`, every call
 *   naming that entity id is refused until the oldest failure leaves the window;
 * - global: after `global.limit` failures across all ids within `global.windowMs`, every
 *   capability check is refused, so spreading guesses over many ids gains nothing.
 *
 * While throttled the capability is not checked at all (a correct one is refused too),
 * otherwise throttling would not limit guessing. Only failures count; successful checks
 * neither count nor reset anything. Ids that were never created are tracked exactly like
 * real ones, so throttling reveals nothing about which ids exist.
 *
 * Keys are the entity ids the caller named (already validated as 32 hex chars); nothing of
 * this state is logged or persisted.
 */

/** Where the throttle gets "now" (ms since the epoch); injected so tests need no sleeps. */
export interface FinanceClock {
  now: () => number;
}

export const systemClock: FinanceClock = { now: () => Date.now() };

export interface ThrottleLimits {
  perEntity: { limit: number; windowMs: number };
  global: { limit: number; windowMs: number };
  /**
   * Bound on tracked entity ids (oldest forgotten first). The global budget caps how many
   * ids can collect failures within one per-entity window, so the default never forgets a
   * live entry: 500 per minute × 15 minutes = 7 500 < 20 000.
   */
  maxTrackedEntities: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  perEntity: { limit: 10, windowMs: 15 * 60 * 1000 },
  global: { limit: 500, windowMs: 60 * 1000 },
  maxTrackedEntities: 20_000,
};

export interface CapabilityThrottle {
  /** Seconds until a check for this entity id may be attempted again, or null if it may now. */
  retryAfterSeconds: (entityId: string) => number | null;
  /** Counts one failed check for this entity id (and towards the global budget). */
  recordFailure: (entityId: string) => void;
}

/** Drops timestamps that have left the window; `times` is sorted oldest first. */
function prune(times: number[], now: number, windowMs: number): void {
  let drop = 0;
  while (drop < times.length && times[drop]! <= now - windowMs) drop += 1;
  if (drop > 0) times.splice(0, drop);
}

export function createCapabilityThrottle(
  clock: FinanceClock = systemClock,
  limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
): CapabilityThrottle {
  const perEntity = new Map<string, number[]>();
  const global: number[] = [];

  const waitMs = (times: number[], limit: number, windowMs: number, now: number) => {
    prune(times, now, windowMs);
    return times.length >= limit ? times[times.length - limit]! + windowMs - now : 0;
  };

  return {
    retryAfterSeconds(entityId) {
      const now = clock.now();
      const own = perEntity.get(entityId);
      let wait = waitMs(global, limits.global.limit, limits.global.windowMs, now);
      if (own) {
        wait = Math.max(wait, waitMs(own, limits.perEntity.limit, limits.perEntity.windowMs, now));
        if (own.length === 0) perEntity.delete(entityId);
      }
      return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : null;
    },

    recordFailure(entityId) {
      const now = clock.now();
      global.push(now);
      // Only the newest `limit` failures matter for either window.
      if (global.length > limits.global.limit)
        global.splice(0, global.length - limits.global.limit);
      const own = perEntity.get(entityId) ?? [];
      perEntity.delete(entityId);
      own.push(now);
      prune(own, now, limits.perEntity.windowMs);
      if (own.length > limits.perEntity.limit) own.splice(0, own.length - limits.perEntity.limit);
      perEntity.set(entityId, own);
      while (perEntity.size > limits.maxTrackedEntities) {
        const oldest = perEntity.keys().next().value;
        if (oldest === undefined) break;
        perEntity.delete(oldest);
      }
    },
  };
}
