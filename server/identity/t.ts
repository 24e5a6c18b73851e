import { createRouterBuilder } from '../trpc';
import type { IdentityContext } from './context';
import { fail } from './errors';
import { clearedSessionCookie, readSessionToken, resolveSession, setCookie } from './session';

export const t = createRouterBuilder<IdentityContext>();

export const publicProcedure = t.procedure;

/** Needs a live session; adds `user` (the full row, never sent as is) and `sessionId`. */
export const sessionProcedure = t.procedure.use(({ ctx, next }) => {
  const token = readSessionToken(ctx.req);
  const lookup = resolveSession(ctx.store, token, ctx.deps.clock.now());
  if (lookup.state !== 'valid') {
    // A cookie that no longer opens a session is cleared.
    if (token) setCookie(ctx.res, clearedSessionCookie());
    throw fail(lookup.state === 'expired' ? 'SESSION_EXPIRED' : 'NOT_LOGGED_IN');
  }
  return next({ ctx: { ...ctx, user: lookup.user, sessionId: lookup.sessionId } });
});

/** Support staff only. */
export const supportProcedure = sessionProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'support') throw fail('SUPPORT_ONLY');
  return next();
});

/** Organisation procedures: customers only; support accounts have no organisation access. */
export const orgUserProcedure = sessionProcedure.use(({ ctx, next }) => {
  if (ctx.user.role === 'support') throw fail('SUPPORT_NO_ORG_ACCESS');
  return next();
});
