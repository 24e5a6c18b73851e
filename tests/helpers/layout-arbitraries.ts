import fc from 'fast-check';

/**
 * Random members of the statistics layout and random refresh steps, for the property tests
 * of the rank index (server/finance/stats): few distinct values so ties are everywhere, and
 * NaN for a figure the member does not have.
 */
export function layoutArbitraries(options: {
  metrics: number;
  cellCount: number;
  /** Values are whole numbers from 0 to this. */
  maxValue: number;
  /** The most members one step gives a cell. */
  maxMembers: number;
  /** The most cells one step changes. */
  maxCells: number;
}) {
  const member = fc.record({
    values: fc.array(
      fc.oneof(fc.integer({ min: 0, max: options.maxValue }), fc.constant(Number.NaN)),
      { minLength: options.metrics, maxLength: options.metrics },
    ),
    netSales: fc.integer({ min: 0, max: 1000 }),
    synthetic: fc.boolean(),
  });
  // One step: some cells get a new membership (uploads, changes and erasures all look so).
  const step = fc.array(
    fc.record({
      cell: fc.integer({ min: 0, max: options.cellCount - 1 }),
      members: fc.array(member, { maxLength: options.maxMembers }),
    }),
    { minLength: 1, maxLength: options.maxCells },
  );
  return { member, step };
}
