import type { AccountUser, Membership } from './core/account/account';

/** Keys are dropped after this long without a key press, click or scroll (P9). */
export const AUTO_LOCK_MS = 10 * 60 * 1000;

export type AuthStatus = 'unknown' | 'anonymous' | 'locked' | 'unlocked';

/**
 * What the UI may render: who is logged in and their memberships. The keys themselves are
 * kept outside reactive state (in `keyring`) and never written to any storage. A module of
 * its own, without the crypto and account code, so the app shell and the first screen can
 * read it before `session.svelte` (which changes it) has loaded.
 */
export const auth = $state({
  status: 'unknown' as AuthStatus,
  user: null as AccountUser | null,
  memberships: [] as Membership[],
  autoLocked: false,
  /**
   * Unlocked with the keys kept sealed on this device because the server could not be
   * reached; cleared once the server has confirmed the session again.
   */
  offline: false,
});

/**
 * The session operations (login, unlock, lock, logout, keys), loaded on first use: they bring
 * the account protocol, the crypto core and zod, which the first screen does not need.
 */
export const loadSession = () => import('./session.svelte');
