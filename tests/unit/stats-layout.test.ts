import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileOfSorted, roundSignificant } from '../../domain/disclosure';
import { METRIC_IDS } from '../../domain/ratios';
import { groupKey, type Cell } from '../../server/finance/stats/groups';
import {
  countInGroup,
  emptyLayout,
  withCells,
  type CellMembers,
  type YearLayout,
} from '../../server/finance/stats/layout';
import { releaseGroups } from '../../server/finance/stats/release';

/**
 * The rank index and the two ways of finding quantiles, without a database: random cells
 * and values, patched in random steps, checked against a brute-force recomputation.
 */
const METRICS = 3;
const cells: Cell[] = [
  { sni3: '620', employeeBand: '5-9', county: '01' },
  { sni3: '620', employeeBand: '5-9', county: '03' },
  { sni3: '621', employeeBand: '1-4', county: '01' },
  { sni3: '471', employeeBand: '5-9', county: '01' },
  { sni3: '620', employeeBand: null, county: '01' },
  { sni3: null, employeeBand: '5-9', county: null },
];

const memberArbitrary = fc.record({
  // Few distinct values: ties everywhere; NaN: absent.
  values: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(Number.NaN)), {
    minLength: METRICS,
    maxLength: METRICS,
  }),
  netSales: fc.integer({ min: 0, max: 1000 }),
  synthetic: fc.boolean(),
});
const stepArbitrary = fc.array(
  fc.record({
    cell: fc.integer({ min: 0, max: cells.length - 1 }),
    members: fc.array(memberArbitrary, { maxLength: 9 }),
  }),
  { minLength: 1, maxLength: 4 },
);

type RawStep = {
  cell: number;
  members: { values: number[]; netSales: number; synthetic: boolean }[];
}[];

const toCellMembers = (step: RawStep) =>
  step.map(({ cell, members }): CellMembers => ({
    cell: cells[cell]!,
    members: members.map((m) => ({
      netSales: m.netSales,
      synthetic: m.synthetic,
      values: Float64Array.from(m.values),
    })),
  }));

/** Every cell's current members, as the brute-force reference keeps them. */
const applyStep = (state: Map<number, CellMembers>, step: CellMembers[]) => {
  for (const replaced of step) state.set(cells.indexOf(replaced.cell), replaced);
};

/** The values of a group for a metric, sorted, straight from the members. */
const reference = (state: Map<number, CellMembers>, layout: YearLayout, id: number, m: number) => {
  const entry = layout.groups[id]!;
  return entry.cells
    .flatMap((cell) => state.get(cells.indexOf(layout.cells[cell]!))?.members ?? [])
    .map((member) => member.values[m]!)
    .filter((value) => !Number.isNaN(value))
    .sort((a, b) => a - b);
};

describe('rank index and quantile search', () => {
  it('after any sequence of patches, counts and quantiles equal a brute-force recomputation', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 1, maxLength: 5 }), (steps) => {
        let layout = emptyLayout(2024, METRICS, 5);
        const state = new Map<number, CellMembers>();
        for (const raw of steps) {
          const step = toCellMembers(raw);
          layout = withCells(layout, step);
          applyStep(state, step);
        }
        // The value order lists each cell once per present value, in ascending value order.
        for (let m = 0; m < METRICS; m += 1) {
          const seen = new Map<number, number>();
          const sequence = [...layout.order[m]!].map((cell) => {
            const i = seen.get(cell) ?? 0;
            seen.set(cell, i + 1);
            return layout.values[m]![layout.offsets[cell]! + i]!;
          });
          expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
          for (let cell = 0; cell < layout.cells.length; cell += 1) {
            expect(seen.get(cell) ?? 0).toBe(layout.present[cell * METRICS + m]);
          }
        }
        const ids = layout.groups.map((_, id) => id);
        const viaPass = releaseGroups(layout, ids, 'pass');
        const viaGather = releaseGroups(layout, ids, 'gather');
        expect(viaPass).toEqual(viaGather);
        for (const released of viaPass) {
          const id = layout.groupIndex.get(released.key)!;
          for (const stat of released.metrics) {
            const m = METRIC_IDS.indexOf(stat.metric);
            const values = reference(state, layout, id, m);
            expect(stat.n).toBe(values.length);
            expect(stat.p50).toBe(roundSignificant(quantileOfSorted(values, 50)!));
            expect(stat.p25).toBe(roundSignificant(quantileOfSorted(values, 25)!));
          }
        }
        for (let id = 0; id < layout.groups.length; id += 1) {
          for (let m = 0; m < METRICS; m += 1) {
            const values = reference(state, layout, id, m);
            for (const probe of [-1, 0, 2.5, 3, 6, 7]) {
              expect(countInGroup(layout, layout.groups[id]!.cells, m, probe)).toEqual({
                below: values.filter((v) => v < probe).length,
                equal: values.filter((v) => v === probe).length,
                n: values.length,
              });
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a cell’s 16 candidate groups are the groups it is listed in', () => {
    let layout = emptyLayout(2024, METRICS, 5);
    layout = withCells(
      layout,
      cells.map((cell) => ({ cell, members: [] })),
    );
    const key = groupKey({
      level: 'sni2',
      sni: '62',
      employeeBand: '5-9',
      county: '01',
      year: 2024,
    });
    const id = layout.groupIndex.get(key)!;
    expect(layout.groups[id]!.cells.map((c) => layout.cells[c])).toEqual([cells[0]]);
    const all = layout.groupIndex.get(
      groupKey({ level: 'all', sni: null, employeeBand: null, county: null, year: 2024 }),
    )!;
    expect(layout.groups[all]!.cells).toHaveLength(cells.length);
  });
});
