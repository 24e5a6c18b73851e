import type { FinanceContext } from './router';
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
}

/**
 * The finance API's server-side state: one store, one throttle of failed capability checks.
 * `createContext` takes no argument on purpose: nothing from the HTTP request (cookies,
 * headers, address) can reach a finance procedure (P5).
 */
export function createFinanceApi(options: FinanceApiOptions): {
  createContext: () => FinanceContext;
} {
  const clock = options.clock ?? systemClock;
  const context: FinanceContext = {
    store: options.store,
    clock,
    throttle: createCapabilityThrottle(clock, options.limits ?? DEFAULT_THROTTLE_LIMITS),
  };
  return { createContext: () => context };
}
