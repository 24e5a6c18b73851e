import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutArbitraries } from '../../../tests/helpers/layout-arbitraries';
import { EMPLOYEE_BANDS } from '../../../domain/profile';
import { cellKey, type Cell } from './groups';
import { emptyLayout, withChanges, type MemberFigures, type YearLayout } from './layout';
import { carrySortedCopies, groupRankCounts, SORTED_COPY_FROM_CELLS } from './ranks';

/**
 * The rank counts of the benchmark query after random uploads, changes and erasures, with the
 * sorted copies of many-cell groups carried from layout to layout as the refresh does, against
 * a brute-force count over every member's own values.
 */
const METRICS = 2;
const SNI3 = ['011', '012', '471', '472', '561', '620', '621', '691', '692', '432'];
const BANDS = EMPLOYEE_BANDS.slice(0, 3);
const COUNTIES = ['01', '03'];
const cells: Cell[] = SNI3.flatMap((sni3) =>
  BANDS.flatMap((employeeBand) => COUNTIES.map((county) => ({ sni3, employeeBand, county }))),
);

const { member: memberArbitrary, step: stepArbitrary } = layoutArbitraries({
  metrics: METRICS,
  cellCount: cells.length,
  maxValue: 5,
  maxMembers: 4,
  maxCells: 12,
});

const figures = (member: {
  values: number[];
  netSales: number;
  synthetic: boolean;
}): MemberFigures => ({
  netSales: member.netSales,
  synthetic: member.synthetic,
  values: Float64Array.from(member.values),
});

const bruteForce = (
  state: Map<number, MemberFigures[]>,
  layout: YearLayout,
  id: number,
  metric: number,
  value: number,
) => {
  const values = layout.groups[id]!.cells.flatMap((cell) =>
    (state.get(cells.indexOf(layout.cells[cell]!)) ?? [])
      .map((member) => member.values[metric]!)
      .filter((x) => !Number.isNaN(x)),
  );
  return {
    below: values.filter((x) => x < value).length,
    equal: values.filter((x) => x === value).length,
    n: values.length,
  };
};

describe('rank counts of the benchmark query', () => {
  it('equal a brute-force count after any sequence of changes, sorted copies carried along', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(memberArbitrary, { maxLength: 3 }), {
          minLength: cells.length,
          maxLength: cells.length,
        }),
        fc.array(stepArbitrary, { minLength: 1, maxLength: 6 }),
        (initial, steps) => {
          let layout = emptyLayout(2024, METRICS, 5);
          const state = new Map<number, MemberFigures[]>();
          // Every cell first, so that the upper-level groups span them all.
          const first = initial.map((members, cell) => ({ cell, members }));
          for (const step of [first, ...steps]) {
            const byCell = new Map(step.map(({ cell, members }) => [cell, members.map(figures)]));
            const { layout: next } = withChanges(
              layout,
              [...byCell].map(([cell, members]) => ({
                cell: cells[cell]!,
                removed: state.get(cell) ?? [],
                added: members,
              })),
            );
            carrySortedCopies(
              layout,
              next,
              [...byCell.keys()].map((cell) => next.cellIndex.get(cellKey(cells[cell]!))!),
            );
            layout = next;
            for (const [cell, members] of byCell) state.set(cell, members);
            for (let id = 0; id < layout.groups.length; id += 1) {
              for (let metric = 0; metric < METRICS; metric += 1) {
                for (const probe of [-1, 0, 2, 2.5, 5, 6]) {
                  expect(groupRankCounts(layout, id, metric, probe)).toEqual(
                    bruteForce(state, layout, id, metric, probe),
                  );
                }
              }
            }
          }
          expect(layout.groups.some((g) => g.cells.length >= SORTED_COPY_FROM_CELLS)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
