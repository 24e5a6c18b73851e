import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutArbitraries } from '../helpers/layout-arbitraries';
import { quantileOfSorted, roundSignificant } from '../../domain/disclosure';
import { METRIC_IDS } from '../../domain/ratios';
import {
  CANDIDATES_PER_LEVEL,
  groupKey,
  SLOTS_PER_CELL,
  type Cell,
} from '../../server/finance/stats/groups';
import {
  countInGroup,
  emptyLayout,
  presentInYear,
  withChanges,
  type MemberFigures,
  type YearLayout,
} from '../../server/finance/stats/layout';
import { radixSortCells } from '../../server/finance/stats/order';
import { releaseGroups } from '../../server/finance/stats/release';
import { decodeStats, encodeStats } from '../../server/finance/stats/stored-stats';

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

const { step: stepArbitrary } = layoutArbitraries({
  metrics: METRICS,
  cellCount: cells.length,
  maxValue: 6,
  maxMembers: 9,
  maxCells: 4,
});

type RawStep = {
  cell: number;
  members: { values: number[]; netSales: number; synthetic: boolean }[];
}[];

interface CellMembers {
  cell: Cell;
  members: MemberFigures[];
}

/** The last membership each step gives a cell (a later entry for the same cell wins). */
const toCellMembers = (step: RawStep): CellMembers[] => {
  const byCell = new Map<number, CellMembers>();
  for (const { cell, members } of step) {
    byCell.set(cell, {
      cell: cells[cell]!,
      members: members.map((m) => ({
        netSales: m.netSales,
        synthetic: m.synthetic,
        values: Float64Array.from(m.values),
      })),
    });
  }
  return [...byCell.values()];
};

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

/**
 * Where every search stops, from the members alone: per non-empty cell, level and metric, the
 * first of the level's four candidates with at least the minimum of values.
 */
const chooseFromScratch = (state: Map<number, CellMembers>, layout: YearLayout): Uint8Array => {
  const chosen = new Uint8Array(layout.groups.length * METRICS);
  layout.cells.forEach((cell, index) => {
    if ((state.get(cells.indexOf(cell))?.members.length ?? 0) === 0) return;
    for (let level = 0; level < SLOTS_PER_CELL; level += CANDIDATES_PER_LEVEL) {
      for (let m = 0; m < METRICS; m += 1) {
        for (let slot = level; slot < level + CANDIDATES_PER_LEVEL; slot += 1) {
          const id = layout.cellGroups[index * SLOTS_PER_CELL + slot]!;
          if (id >= 0 && reference(state, layout, id, m).length >= layout.minGroupSize) {
            chosen[id * METRICS + m] = 1;
            break;
          }
        }
      }
    }
  });
  return chosen;
};

describe('rank index and quantile search', () => {
  it('after any sequence of patches, counts and quantiles equal a brute-force recomputation', () => {
    fc.assert(
      fc.property(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 5 }),
        // 1 and 3 put (nearly) every pair on quantile windows, filled by the pass or a gather.
        fc.constantFrom(1, 3, 64),
        (steps, windowFrom) => {
          let layout = emptyLayout(2024, METRICS, 5, windowFrom);
          const state = new Map<number, CellMembers>();
          for (const raw of steps) {
            const step = toCellMembers(raw);
            const chosenBefore = layout.chosen.slice();
            // Everyone in a touched cell leaves; the step's members join.
            const changed = withChanges(
              layout,
              step.map(({ cell, members }) => ({
                cell,
                removed: state.get(cells.indexOf(cell))?.members ?? [],
                added: members,
              })),
            );
            layout = changed.layout;
            applyStep(state, step);
            // The choices, kept up to date from the previous ones, equal choosing from scratch,
            // and the groups reported as re-chosen are exactly those whose marks changed.
            const expected = chooseFromScratch(state, layout);
            expect([...layout.chosen]).toEqual([...expected]);
            const altered = new Set<number>();
            for (let pair = 0; pair < expected.length; pair += 1) {
              if ((chosenBefore[pair] ?? 0) !== expected[pair])
                altered.add(Math.floor(pair / METRICS));
            }
            expect([...changed.rechosen].sort((a, b) => a - b)).toEqual(
              [...altered].sort((a, b) => a - b),
            );
            // A release fills windows (alternately by the pass and by gathering) that the next
            // steps' changes move along.
            releaseGroups(
              layout,
              layout.groups.map((_, id) => id),
              steps.indexOf(raw) % 2 === 0 ? 'pass' : 'gather',
            );
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
            expect(presentInYear(layout, m)).toBe(layout.order[m]!.length);
          }
          const ids = layout.groups.map((_, id) => id);
          // Windows left by a step's release are moved along by the next steps' changes; the
          // first release here reads or refills them, the next two must agree with it.
          // (Stored statistics compared as hex: a deep equality of bytes is slow.)
          const release = (strategy: 'gather' | 'pass') =>
            releaseGroups(layout, ids, strategy).map((group) => ({
              ...group,
              stats: group.stats.toString('hex'),
            }));
          const first = release('gather');
          const viaPass = releaseGroups(layout, ids, 'pass');
          const viaGather = release('gather');
          expect(
            viaPass.map((group) => ({ ...group, stats: group.stats.toString('hex') })),
          ).toEqual(viaGather);
          expect(first).toEqual(viaGather);
          for (const released of viaPass) {
            const id = layout.groupIndex.get(released.key)!;
            const stats = decodeStats(released.stats);
            // The stored bytes say exactly what is published, nothing besides.
            expect(encodeStats(stats).equals(released.stats)).toBe(true);
            for (const [metric, stat] of Object.entries(stats)) {
              const m = METRIC_IDS.findIndex((id) => id === metric);
              const values = reference(state, layout, id, m);
              const [n, , p25, p50] = stat;
              expect(n).toBe(values.length);
              expect(p50).toBe(roundSignificant(quantileOfSorted(values, 50)!));
              expect(p25).toBe(roundSignificant(quantileOfSorted(values, 25)!));
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
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a cell’s 16 candidate groups are the groups it is listed in', () => {
    const { layout } = withChanges(
      emptyLayout(2024, METRICS, 5),
      cells.map((cell) => ({ cell, removed: [], added: [] })),
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

  it('the radix sort orders cells by value exactly like a comparison sort', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.constantFrom(0, -0, 1, -1, 0.5, 1e-300, -1e-300),
          ),
          { maxLength: 300 },
        ),
        (numbers) => {
          const values = Float64Array.from(numbers);
          const cellIds = Int32Array.from(numbers, (_, i) => i);
          const sorted = radixSortCells(values, cellIds);
          const sequence = [...sorted].map((i) => numbers[i]!);
          // Ascending (−0 and 0 are equal), and a permutation of the input.
          for (let i = 1; i < sequence.length; i += 1) {
            expect(sequence[i - 1]! <= sequence[i]!).toBe(true);
          }
          expect([...sorted].sort((a, b) => a - b)).toEqual([...cellIds]);
        },
      ),
    );
  });
});
