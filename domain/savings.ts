/**
 * Cost items ranked by potential saving (issue #8, the dashboard): for each external-cost
 * group where the company's share of net sales is above its peers' median share, what that
 * excess comes to in SEK: (own cost share − peer median share) × own net sales. One
 * definition, used by every screen that ranks cost items by saving.
 */
import type { BenchmarkItem } from './benchmark.ts';
import type { CostShareId } from './ratios.ts';

export interface CostItemSaving {
  readonly id: CostShareId;
  /** The company's share of net sales, e.g. 0.12. */
  readonly share: number;
  /** The peer group's median share. */
  readonly medianShare: number;
  /** Whole SEK for the fiscal year: what the company would spend less at the median share. */
  readonly saving: number;
}

const COST_SHARE_PREFIX = 'cost_share_';

const isCostShareId = (id: string): id is CostShareId => id.startsWith(COST_SHARE_PREFIX);

/**
 * The cost items on which the company spends a larger share of its net sales than the peer
 * median, with the saving in SEK, largest saving first (catalogue order among equals).
 * Items without the company's value, without a released median, at or below the median, or
 * whose saving rounds to nothing are left out; so is everything when net sales are not
 * positive (the shares are then not computed either).
 */
export function costItemSavings(
  items: readonly BenchmarkItem[],
  netSales: number,
): CostItemSaving[] {
  if (!(netSales > 0) || !Number.isFinite(netSales)) return [];
  return items
    .flatMap((item): CostItemSaving[] => {
      const { id, value, p50 } = item;
      if (!isCostShareId(id) || item.group === null || value === null || p50 === undefined) {
        return [];
      }
      if (value <= p50) return [];
      const saving = Math.round((value - p50) * netSales);
      return saving >= 1 ? [{ id, share: value, medianShare: p50, saving }] : [];
    })
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => b.entry.saving - a.entry.saving || a.order - b.order)
    .map(({ entry }) => entry);
}
