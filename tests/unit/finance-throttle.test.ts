import { describe, expect, it } from 'vitest';
import { createCapabilityThrottle, type ThrottleLimits } from '../../server/finance/throttle';

const MINUTE = 60_000;

const fakeClock = (start = Date.UTC(2026, 2, 1)) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

const id = (n: number) => n.toString(16).padStart(32, '0');

describe('capability throttle', () => {
  it('blocks an entity id after 10 failures in 15 minutes, until the oldest ages out', () => {
    const clock = fakeClock();
    const throttle = createCapabilityThrottle(clock);
    for (let i = 0; i < 10; i += 1) {
      expect(throttle.retryAfterSeconds(id(1))).toBeNull();
      throttle.recordFailure(id(1));
      clock.advance(MINUTE);
    }
    // Failures at t = 0..9 min, now t = 10 min: blocked until the first one is 15 min old.
    expect(throttle.retryAfterSeconds(id(1))).toBe(5 * 60);
    expect(throttle.retryAfterSeconds(id(2))).toBeNull();
    clock.advance(5 * MINUTE - 1000);
    expect(throttle.retryAfterSeconds(id(1))).toBe(1);
    clock.advance(1000);
    expect(throttle.retryAfterSeconds(id(1))).toBeNull();
    // One more failure fills the window again; the next slot frees one minute later.
    throttle.recordFailure(id(1));
    expect(throttle.retryAfterSeconds(id(1))).toBe(60);
  });

  it('a global budget blocks every id once failures across many ids exceed it', () => {
    const clock = fakeClock();
    const limits: ThrottleLimits = {
      perEntity: { limit: 10, windowMs: 15 * MINUTE },
      global: { limit: 20, windowMs: MINUTE },
      maxTrackedEntities: 1000,
    };
    const throttle = createCapabilityThrottle(clock, limits);
    for (let i = 0; i < 20; i += 1) throttle.recordFailure(id(100 + i));
    expect(throttle.retryAfterSeconds(id(999))).toBe(60);
    clock.advance(30_000);
    expect(throttle.retryAfterSeconds(id(998))).toBe(30);
    clock.advance(30_000);
    expect(throttle.retryAfterSeconds(id(998))).toBeNull();
  });

  it('with the default limits, guessing across ids is capped at 500 failures a minute', () => {
    const clock = fakeClock();
    const throttle = createCapabilityThrottle(clock);
    let refusedChecks = 0;
    let i = 0;
    for (; i < 10_000; i += 1) {
      if (throttle.retryAfterSeconds(id(i)) !== null) break;
      throttle.recordFailure(id(i));
      refusedChecks += 1;
    }
    expect(refusedChecks).toBe(500);
  });

  it('forgets the oldest ids beyond its bound, so memory stays bounded', () => {
    const clock = fakeClock();
    const throttle = createCapabilityThrottle(clock, {
      perEntity: { limit: 2, windowMs: MINUTE },
      global: { limit: 1_000_000, windowMs: MINUTE },
      maxTrackedEntities: 3,
    });
    throttle.recordFailure(id(1));
    throttle.recordFailure(id(1));
    expect(throttle.retryAfterSeconds(id(1))).not.toBeNull();
    for (let i = 2; i <= 4; i += 1) throttle.recordFailure(id(i));
    expect(throttle.retryAfterSeconds(id(1))).toBeNull();
  });
});
