import {
  contractCategory,
  potentialSaving,
  regionOf,
  unitPrice,
  type ContractComparison,
  type ContractGroup,
  type ContractTerms,
} from '../../../domain/contracts';
import { itemIndex, percentileRank } from '../../../domain/disclosure';
import type { FinanceStore } from '../store';
import type { ContractStatistics, PublishedContractGroup } from './statistics';
import { contractRows, termsOf } from './store';

/**
 * One agreement against its peers (issue #7): the first published group of category and
 * region, else of the category in all regions; its released quantiles, the agreement's
 * percentile rank there, the 0–100 index (a lower price is better) and the potential saving.
 * Reads published statistics and the in-memory rank order only: the only figures of a single
 * entity in the answer are the caller's own.
 */
export function compareContract(
  statistics: ContractStatistics,
  contractId: string,
  terms: ContractTerms,
): { comparison: ContractComparison; synthetic: boolean } {
  const definition = contractCategory(terms.category);
  const price = unitPrice(terms);
  const region = regionOf(terms);
  const candidates: ContractGroup[] = [
    ...(region === null ? [] : [{ category: terms.category, region }]),
    { category: terms.category, region: null },
  ];
  const base = {
    contractId,
    category: terms.category,
    unit: definition.price.unit,
    unitPrice: price,
  };
  for (const group of candidates) {
    const published = statistics.published(group);
    if (published === null) continue;
    const rank = percentileRank(statistics.countIn(group, price));
    return {
      comparison: {
        ...base,
        group,
        n: published.n,
        ...quantilesOf(published),
        rank,
        index: rank === null ? null : itemIndex(rank, 'lower'),
        saving: potentialSaving(definition, price, published.p50, terms.quantity),
      },
      synthetic: published.includesSynthetic,
    };
  }
  return {
    comparison: { ...base, group: null, n: null, rank: null, index: null, saving: null },
    synthetic: false,
  };
}

const quantilesOf = (published: PublishedContractGroup) => ({
  ...(published.p10 !== null ? { p10: published.p10 } : {}),
  p25: published.p25,
  p50: published.p50,
  p75: published.p75,
  ...(published.p90 !== null ? { p90: published.p90 } : {}),
});

/** Every agreement of an entity compared, and whether any group used includes demo data. */
export function compareAll(
  statistics: ContractStatistics,
  agreements: readonly { contractId: string; terms: ContractTerms }[],
): { comparisons: ContractComparison[]; demo: boolean } {
  let demo = false;
  const comparisons = agreements.map(({ contractId, terms }) => {
    const { comparison, synthetic } = compareContract(statistics, contractId, terms);
    demo ||= synthetic;
    return comparison;
  });
  return { comparisons, demo };
}

/** The comparisons of one entity's stored agreements (for the benchmark answer). */
export function contractComparisons(
  store: FinanceStore,
  statistics: ContractStatistics,
  entityId: string,
): ContractComparison[] {
  const agreements = contractRows(store)
    .ofEntity(entityId)
    .map((row) => ({ contractId: row.contractId, terms: termsOf(row) }));
  return compareAll(statistics, agreements).comparisons;
}
