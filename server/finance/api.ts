import { contractComparisons } from './contracts/compare';
import { createContractStatistics, type ContractStatistics } from './contracts/statistics';
import type { FinanceContext } from './router';
import {
  createPeerStatistics,
  type PeerStatistics,
  type StatisticsLog,
  type StatisticsSettings,
} from './stats/engine';
import { createBenchmarkQuery } from './stats/query';
import type { FinanceStore } from './store';
import {
  createCapabilityThrottle,
  DEFAULT_THROTTLE_LIMITS,
  systemClock,
  type FinanceClock,
  type ThrottleLimits,
} from './throttle';

export interface FinanceApiOptions {
  store: FinanceStore;
  clock?: FinanceClock;
  limits?: ThrottleLimits;
  /** Peer statistics: minimum group size, refresh delay, demo population rule. */
  statistics?: Partial<StatisticsSettings>;
  /** Where the statistics engine reports rebuilds and failures (counts and times only). */
  log?: StatisticsLog;
}

/**
 * The finance API's server-side state: one store, one throttle of failed capability checks.
 * `createContext` takes no argument on purpose: nothing from the HTTP request (cookies,
 * headers, address) can reach a finance procedure (P5).
 */
export function createFinanceApi(options: FinanceApiOptions): {
  createContext: () => FinanceContext;
  /** The peer-statistics engine: `rebuild()` at start, `close()` at shutdown. */
  statistics: PeerStatistics;
  /** Agreement statistics: built on first use, refreshed after changes. */
  contracts: ContractStatistics;
} {
  const clock = options.clock ?? systemClock;
  const statistics = createPeerStatistics(options.store.sqlite, options.statistics, options.log);
  // Same minimum group size, refresh delay and demo rule as the key-ratio statistics.
  const contracts = createContractStatistics({
    sqlite: options.store.sqlite,
    settings: {
      minGroupSize: statistics.settings.minGroupSize,
      refreshMs: statistics.settings.refreshMs,
    },
    includeDemo: () => statistics.includesDemo(),
    now: () => clock.now(),
  });
  const context: FinanceContext = {
    store: options.store,
    clock,
    throttle: createCapabilityThrottle(clock, options.limits ?? DEFAULT_THROTTLE_LIMITS),
    statistics,
    benchmark: createBenchmarkQuery(options.store.sqlite, statistics, (entityId) =>
      contractComparisons(options.store, contracts, entityId),
    ),
    contracts,
  };
  return { createContext: () => context, statistics, contracts };
}
