import { createRouterBuilder } from '../trpc';
import type { FinanceStore } from './store';

/** Finance calls carry no identity: no cookie, no user, no IP address (P5). */
export interface FinanceContext {
  store: FinanceStore;
}

const t = createRouterBuilder<FinanceContext>();

export const financeRouter = t.router({
  /** Reports whether the finance store answers; never touches the identity store. */
  health: t.procedure.query(({ ctx }) => ctx.store.health()),
});

export type FinanceRouter = typeof financeRouter;
