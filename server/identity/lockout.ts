/**
 * Exponential lockout per account: from the 5th consecutive failure on, the account is locked
 * for 2^(failures-5) seconds, at most 15 minutes. A successful login resets the count.
 */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MAX_MS = 15 * 60 * 1000;

export function lockoutMs(failures: number): number {
  if (failures < LOCKOUT_THRESHOLD) return 0;
  return Math.min(2 ** (failures - LOCKOUT_THRESHOLD) * 1000, LOCKOUT_MAX_MS);
}

export interface LockState {
  failures: number;
  lockedUntil: number | null;
}

/**
 * Lock state for e-mail addresses without an account, kept in memory (bounded), so that an
 * unknown address locks exactly like a real one and lockout cannot reveal which exist.
 * Keys are HMACs of the address, never the address itself.
 */
export class PhantomLockouts {
  private readonly entries = new Map<string, LockState>();
  constructor(private readonly maxEntries = 10_000) {}

  get(key: string): LockState {
    return this.entries.get(key) ?? { failures: 0, lockedUntil: null };
  }

  set(key: string, state: LockState): void {
    this.entries.delete(key);
    this.entries.set(key, state);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

const inFlight = new Map<string, Promise<unknown>>();

/**
 * Runs credential checks for one address one at a time, so a burst of parallel or batched
 * attempts cannot all pass the lock check before the first failure is counted.
 */
export function oneAtATime<T>(key: string, check: () => Promise<T>): Promise<T> {
  const previous = inFlight.get(key) ?? Promise.resolve();
  const next = previous.then(check, check);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  inFlight.set(key, settled);
  void settled.then(() => {
    if (inFlight.get(key) === settled) inFlight.delete(key);
  });
  return next;
}
