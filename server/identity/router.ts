import { createRouterBuilder } from '../trpc';
import type { IdentityStore } from './store';

export interface IdentityContext {
  store: IdentityStore;
}

const t = createRouterBuilder<IdentityContext>();

export const identityRouter = t.router({
  /** Reports whether the identity store answers; never touches the finance store. */
  health: t.procedure.query(({ ctx }) => ctx.store.health()),
});

export type IdentityRouter = typeof identityRouter;
