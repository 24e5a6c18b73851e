import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERCENTILES, quantilePosition } from '../../../domain/disclosure';
import {
  createWindows,
  dropWindows,
  ensurePairs,
  fillWindows,
  hasWindows,
  moveValue,
  readRanks,
  WINDOW_VALUES,
} from './windows';

/**
 * Quantile windows against a brute-force sorted list: after any sequence of values joining and
 * leaving (ties, values at the ends, emptied windows), every order statistic read from a
 * window is the one a full sort gives; a window that cannot answer says so.
 */
const valueArbitrary = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0, -0, 0.5, 1e-9, -3.25),
);

const stepArbitrary = fc.oneof(
  fc.record({ join: fc.constant(true), value: valueArbitrary }),
  fc.record({ join: fc.constant(false), pick: fc.nat() }),
);

describe('quantile windows', () => {
  it('read exactly the sorted order statistics, or report a miss, after any changes', () => {
    fc.assert(
      fc.property(
        fc.array(valueArbitrary, { minLength: 1, maxLength: 80 }),
        fc.array(fc.array(stepArbitrary, { maxLength: 12 }), { minLength: 1, maxLength: 6 }),
        (initial, refreshes) => {
          const windows = createWindows(1);
          const pair = 3;
          ensurePairs(windows, 8);
          const members = [...initial];
          const scratch = Float64Array.from(members);
          fillWindows(windows, pair, scratch, members.length);
          let misses = 0;
          for (const steps of refreshes) {
            // The changes of one refresh, and the group's size once they are all in.
            const moves: Array<{ value: number; sign: 1 | -1 }> = [];
            for (const step of steps) {
              if (step.join) {
                members.push(step.value);
                moves.push({ value: step.value, sign: 1 });
              } else if (members.length > 1) {
                const [value] = members.splice(step.pick % members.length, 1);
                moves.push({ value: value!, sign: -1 });
              }
            }
            for (const { value, sign } of moves) {
              moveValue(windows, pair, value, sign, members.length);
            }
            const sorted = [...members].sort((a, b) => a - b);
            const n = sorted.length;
            for (let span = 0; span < PERCENTILES.length; span += 1) {
              const { lower } = quantilePosition(n, PERCENTILES[span]!);
              for (const rank of [lower, Math.min(n - 1, lower + 1)]) {
                const out = new Float64Array(1);
                // Equal as numbers: 0 and -0 are the same order statistic.
                if (readRanks(windows, pair, [rank], [span], 1, out)) {
                  expect(out[0] === sorted[rank]).toBe(true);
                } else {
                  misses += 1;
                  fillWindows(windows, pair, Float64Array.from(members), n);
                  expect(readRanks(windows, pair, [rank], [span], 1, out)).toBe(true);
                  expect(out[0] === sorted[rank]).toBe(true);
                }
              }
            }
          }
          expect(misses).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keep a group’s quantiles through many small changes without a refill', () => {
    const windows = createWindows(1);
    ensurePairs(windows, 1);
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const members = Array.from({ length: 2_000 }, () => Math.round(random() * 1e6) / 100);
    fillWindows(windows, 0, Float64Array.from(members), members.length);
    let hits = 0;
    for (let refresh = 0; refresh < 20; refresh += 1) {
      for (let i = 0; i < 5; i += 1) {
        const joining = Math.round(random() * 1e6) / 100;
        members.push(joining);
        const [leaving] = members.splice(Math.floor(random() * members.length), 1);
        moveValue(windows, 0, joining, 1, members.length);
        moveValue(windows, 0, leaving!, -1, members.length);
      }
      const sorted = [...members].sort((a, b) => a - b);
      const { lower } = quantilePosition(sorted.length, 50);
      const out = new Float64Array(1);
      if (readRanks(windows, 0, [lower], [2], 1, out)) {
        expect(out[0]).toBe(sorted[lower]);
        hits += 1;
      } else {
        // As the release does: gather again and centre the windows.
        fillWindows(windows, 0, Float64Array.from(members), members.length);
      }
    }
    // Ten changes per refresh move the median by a rank or two: most refreshes need no refill.
    expect(hits).toBeGreaterThanOrEqual(12);
    expect(WINDOW_VALUES).toBeGreaterThanOrEqual(6);
  });

  it('are forgotten when dropped, and a dropped pair reads as a miss', () => {
    const windows = createWindows(1);
    ensurePairs(windows, 4);
    fillWindows(windows, 2, Float64Array.from([3, 1, 2]), 3);
    expect(hasWindows(windows, 2)).toBe(true);
    dropWindows(windows, 2);
    expect(hasWindows(windows, 2)).toBe(false);
    expect(readRanks(windows, 2, [1], [2], 1, new Float64Array(1))).toBe(false);
    // The freed slot is handed out again.
    fillWindows(windows, 1, Float64Array.from([5, 4]), 2);
    expect(windows.slots).toBe(1);
  });
});
