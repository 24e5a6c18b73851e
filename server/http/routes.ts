/** Where each part of the one process answers. Paths only: no ids, so safe as metric labels. */
export const API_PATHS = {
  identity: '/api/identity/',
  finance: '/api/finance/',
} as const;

export const METRICS_PATH = '/metrics';

export type Route = 'identity' | 'finance' | 'unknown-api' | 'health' | 'metrics' | 'app';

/** The route of a request path (without query). */
export function routeOf(path: string): Route {
  if (path === '/healthz' || path === '/readyz') return 'health';
  if (path === METRICS_PATH) return 'metrics';
  if (path.startsWith(API_PATHS.identity)) return 'identity';
  if (path.startsWith(API_PATHS.finance)) return 'finance';
  if (path.startsWith('/api/')) return 'unknown-api';
  return 'app';
}

/** The request's path, without query string. */
export const pathOf = (url: string | undefined): string => (url ?? '/').split('?')[0] ?? '/';
