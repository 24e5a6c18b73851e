import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countBelowAndEqual,
  discloseSorted,
  itemIndex,
  overallIndex,
  passesPPercentRule,
  percentileRank,
  quantileOfSorted,
  quantilePosition,
  releasedPercentiles,
  roundSignificant,
} from '../../domain/disclosure';
import { quantilesInPlace } from '../../server/finance/stats/select';

/**
 * The disclosure rules of DESIGN §7 (P8) as pure functions, on numbers worked out by hand,
 * and percentile rank and index against a brute-force count on random data.
 */

const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('quantiles (type 7: linear interpolation between order statistics)', () => {
  it('matches hand-computed values on 1…10', () => {
    // h = (n − 1)·p = 9·p; Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), x 0-based.
    expect(quantileOfSorted(oneToTen, 10)).toBeCloseTo(1.9, 12); // h 0.9: 1 + 0.9·1
    expect(quantileOfSorted(oneToTen, 25)).toBeCloseTo(3.25, 12); // h 2.25: 3 + 0.25·1
    expect(quantileOfSorted(oneToTen, 50)).toBeCloseTo(5.5, 12); // h 4.5: 5 + 0.5·1
    expect(quantileOfSorted(oneToTen, 75)).toBeCloseTo(7.75, 12); // h 6.75: 7 + 0.75·1
    expect(quantileOfSorted(oneToTen, 90)).toBeCloseTo(9.1, 12); // h 8.1: 9 + 0.1·1
  });

  it('lands exactly on an order statistic when (n − 1)·p is whole (integer arithmetic)', () => {
    // n = 21: h = 20·0.10 = 2 exactly (not 1.9999…): p10 is x[2].
    const values = Array.from({ length: 21 }, (_, i) => i * 10);
    expect(quantilePosition(21, 10)).toEqual({ lower: 2, fraction: 0 });
    expect(quantileOfSorted(values, 10)).toBe(20);
    expect(quantileOfSorted(values, 90)).toBe(180); // h = 18
    expect(quantileOfSorted(values, 25)).toBe(50); // h = 5
  });

  it('gives null for no values and the value itself for one', () => {
    expect(quantileOfSorted([], 50)).toBeNull();
    expect(quantileOfSorted([4.2], 90)).toBe(4.2);
  });

  it('selection in place gives exactly the sorted-and-interpolated quantiles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 800 }),
        fc.integer({ min: 1, max: 100 }),
        (integers, divisor) => {
          // Many ties and a spread of magnitudes.
          const values = integers.map((x) => x / divisor);
          const sorted = [...values].sort((a, b) => a - b);
          const scratch = Float64Array.from(values);
          const percentiles = [10, 25, 50, 75, 90];
          const out = new Float64Array(percentiles.length);
          quantilesInPlace(scratch, values.length, percentiles, out);
          percentiles.forEach((percentile, i) => {
            expect(out[i]).toBe(quantileOfSorted(sorted, percentile));
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('rounding to 3 significant digits', () => {
  it('rounds hand-picked values', () => {
    expect(roundSignificant(123_456)).toBe(123_000);
    expect(roundSignificant(0.00123456)).toBe(0.00123);
    expect(roundSignificant(-98_765)).toBe(-98_800);
    expect(roundSignificant(99_950)).toBe(100_000); // 9.995e4 → 1.00e5
    expect(roundSignificant(0.31212704523580365)).toBe(0.312);
    // 1.005 is stored as 1.00499999999999989…: the exact binary value rounds down.
    expect(roundSignificant(1.005)).toBe(1);
    expect(Object.is(roundSignificant(-0), 0)).toBe(true);
    expect(Object.is(roundSignificant(-0.0000001, 3), -0.0000001)).toBe(true);
  });

  it('equals toPrecision(3) exactly, on any double', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          // Ties and near-ties: k.5 × 10^e and neighbours.
          fc
            .tuple(fc.integer({ min: 100, max: 999 }), fc.integer({ min: -12, max: 12 }))
            .chain(([mantissa, exponent]) =>
              fc.constantFrom(-1, 0, 1).map((nudge) => {
                const tie = (mantissa + 0.5) * 10 ** exponent;
                return nudge === 0 ? tie : tie * (1 + nudge * Number.EPSILON);
              }),
            ),
        ),
        (value) => {
          expect(roundSignificant(value)).toBe(Number(value.toPrecision(3)) + 0);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never keeps more than 3 significant digits', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e300, max: 1e300, noNaN: true }), (value) => {
        const rounded = roundSignificant(value);
        expect(Number(rounded.toPrecision(3))).toBe(rounded);
        // Off by at most half a unit in the third digit: ≤ 0.5 % of the value.
        expect(Math.abs(rounded - value)).toBeLessThanOrEqual(0.005 * Math.abs(value));
      }),
    );
  });
});

describe('what a group may publish', () => {
  it('releases nothing below the minimum, quartiles from it, deciles only from 20', () => {
    expect(releasedPercentiles(9, 10)).toEqual([]);
    expect(releasedPercentiles(10, 10)).toEqual([25, 50, 75]);
    expect(releasedPercentiles(19, 10)).toEqual([25, 50, 75]);
    expect(releasedPercentiles(20, 10)).toEqual([10, 25, 50, 75, 90]);
    // The floor of 5 holds whatever the caller passes.
    expect(releasedPercentiles(4, 3)).toEqual([]);
    expect(releasedPercentiles(5, 5)).toEqual([25, 50, 75]);
    // A stricter minimum above 20 withholds deciles up to it.
    expect(releasedPercentiles(20, 25)).toEqual([]);
    expect(releasedPercentiles(25, 25)).toEqual([10, 25, 50, 75, 90]);
  });

  it('discloses a sorted group with rounded quantiles and no min or max', () => {
    // 1.11, 2.22, … 11.1 (10 values): p25 h = 2.25 → 3.33 + 0.25·1.11 = 3.6075 → 3.61;
    // p50 h = 4.5 → (5.55 + 6.66) / 2 = 6.105 → 6.11 (6.10500000000000042…);
    // p75 h = 6.75 → 7.77 + 0.75·1.11 = 8.6025 → 8.6.
    const values = Array.from({ length: 10 }, (_, i) => Number(((i + 1) * 1.11).toFixed(2)));
    expect(discloseSorted(values, 10)).toEqual({ n: 10, p25: 3.61, p50: 6.11, p75: 8.6 });
    expect(discloseSorted(values.slice(1), 10)).toBeNull();
    const released = discloseSorted(
      Array.from({ length: 20 }, (_, i) => i),
      10,
    );
    // p10 h = 1.9 → 1.9; p90 h = 17.1 → 17.1: never the minimum 0 or the maximum 19.
    expect(released).toEqual({ n: 20, p10: 1.9, p25: 4.75, p50: 9.5, p75: 14.3, p90: 17.1 });
  });
});

describe('the p%-rule (p = 15) for amount aggregates', () => {
  it('passes when the others, without the two largest, make up at least 15 % of the largest', () => {
    // largest 100, second 50, others 10 + 5 = 15 ≥ 0.15·100.
    expect(passesPPercentRule([100, 50, 10, 5])).toBe(true);
    // others 10 + 4 = 14 < 15.
    expect(passesPPercentRule([50, 4, 100, 10])).toBe(false);
  });

  it('is tripped by one dominant company', () => {
    // Nine companies of 1 000 000 and one of 100 000 000: the others (without the two
    // largest) are 8 000 000 < 15 000 000.
    const sales = [...Array.from({ length: 9 }, () => 1_000_000), 100_000_000];
    expect(passesPPercentRule(sales)).toBe(false);
    // Without the giant: the others are 7 000 000 ≥ 150 000.
    expect(passesPPercentRule(sales.slice(0, 9))).toBe(true);
  });

  it('judges magnitudes (a negative amount is still a contribution)', () => {
    expect(passesPPercentRule([-100, 50, 10, 4])).toBe(false);
    expect(passesPPercentRule([-100, 50, -10, 5])).toBe(true);
  });
});

describe('percentile rank and index against brute force', () => {
  const bruteForce = (values: readonly number[], value: number) => {
    const below = values.filter((x) => x < value).length;
    const equal = values.filter((x) => x === value).length;
    return { below, equal, rank: (100 * (below + 0.5 * equal)) / values.length };
  };

  it('mid-rank on hand-computed data', () => {
    // 10 values, 3 below 4 and 2 equal: 100·(3 + 1)/10 = 40.
    const values = [1, 2, 3, 4, 4, 5, 6, 7, 8, 9];
    expect(countBelowAndEqual(values, 4)).toEqual({ below: 3, equal: 2 });
    expect(percentileRank({ below: 3, equal: 2, n: 10 })).toBe(40);
    expect(itemIndex(40, 'higher')).toBe(40);
    expect(itemIndex(40, 'lower')).toBe(60);
    expect(itemIndex(50, 'lower')).toBe(50);
    expect(percentileRank({ below: 0, equal: 0, n: 0 })).toBeNull();
  });

  it('counts, rank and index equal a brute-force count on random data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: -22, max: 22 }),
        fc.integer({ min: 1, max: 8 }),
        (integers, probe, divisor) => {
          const values = integers.map((x) => x / divisor);
          const value = probe / divisor;
          const sorted = Float64Array.from(values).sort();
          const expected = bruteForce(values, value);
          const counts = countBelowAndEqual(sorted, value);
          expect(counts).toEqual({ below: expected.below, equal: expected.equal });
          const rank = percentileRank({ ...counts, n: values.length })!;
          expect(rank).toBeCloseTo(expected.rank, 10);
          expect(itemIndex(rank, 'higher')).toBe(Math.round(expected.rank));
          expect(itemIndex(rank, 'lower')).toBe(Math.round(100 - expected.rank));
          expect(itemIndex(rank, 'higher')).toBeGreaterThanOrEqual(0);
          expect(itemIndex(rank, 'higher')).toBeLessThanOrEqual(100);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts within a sub-range of a larger array (a cell of the rank index)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 0, max: 9 }),
        (integers, value) => {
          const cut = Math.floor(integers.length / 2);
          const left = [...integers.slice(0, cut)].sort((a, b) => a - b);
          const right = [...integers.slice(cut)].sort((a, b) => a - b);
          const array = [...left, ...right];
          const expected = bruteForce(right, value);
          expect(countBelowAndEqual(array, value, cut, array.length)).toEqual({
            below: expected.below,
            equal: expected.equal,
          });
        },
      ),
    );
  });

  it('the overall index is the rounded mean of the item indices present', () => {
    // (50 + 71 + 80) / 3 = 67
    expect(overallIndex([50, null, 71, 80])).toBe(67);
    expect(overallIndex([null, null])).toBeNull();
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: null })),
        (indices) => {
          const present = indices.filter((x): x is number => x !== null);
          const expected =
            present.length === 0
              ? null
              : Math.round(present.reduce((a, b) => a + b, 0) / present.length);
          expect(overallIndex(indices)).toBe(expected);
        },
      ),
    );
  });
});
