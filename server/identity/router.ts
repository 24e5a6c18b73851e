import { authRoutes } from './auth-routes';
import { orgRouter } from './org-routes';
import { supportRouter } from './support-routes';
import { t } from './t';

export type { IdentityContext } from './context';

/** The identity API (`/api/identity`), documented in docs/PROTOCOL.md. */
export const identityRouter = t.router({
  ...authRoutes,
  org: orgRouter,
  support: supportRouter,
});

export type IdentityRouter = typeof identityRouter;
