import { readFileSync } from 'node:fs';

/** Where the identity module gets "now" (ms since the epoch). Injected so tests need no sleeps. */
export interface Clock {
  now: () => number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Tests only (`NYCKEL_TEST_CLOCK_FILE`): the real time plus an offset in milliseconds read from
 * a file at every call, so a test running the real server process can move its time forward.
 * A missing or unreadable file means offset 0.
 */
export function offsetFileClock(file: string): Clock {
  return {
    now: () => {
      let offset = 0;
      try {
        const value = Number(readFileSync(file, 'utf8').trim());
        if (Number.isFinite(value)) offset = value;
      } catch {
        offset = 0;
      }
      return Date.now() + offset;
    },
  };
}
