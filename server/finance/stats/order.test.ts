import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderWorkspace, radixSortCells } from './order';

describe('value order with a reused workspace', () => {
  it('sorts exactly as with fresh arrays, one order after another in the same workspace', () => {
    const workspace = orderWorkspace(400);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -3, max: 3 })), {
          maxLength: 400,
        }),
        (numbers) => {
          const cells = Int32Array.from(numbers, (_, i) => i);
          const fresh = [...radixSortCells(Float64Array.from(numbers), cells)];
          const values = workspace.values.subarray(0, numbers.length);
          values.set(numbers);
          expect([...radixSortCells(values, cells, workspace)]).toEqual(fresh);
        },
      ),
    );
  });
});
