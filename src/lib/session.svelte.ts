import { TRPCClientError } from '@trpc/client';
import { identityApi } from './api';
import * as account from './core/account/account';
import type { Membership, UnlockedSession } from './core/account/account';
import { openOrgKey } from './core/account/organisation';
import { deriveInWorker } from './kdf';
import { keyring } from './keyring';
import {
  dropDeviceSecrets,
  rememberOnDevice,
  removeFromDevice,
  unlockOnDevice,
} from './offline/device';
import { forgetWrittenLinks } from './offline/links';
import { isUnreachable } from './offline/network';
import { forgetSync, markSynced } from './offline/sync.svelte';
import { pendingLogout, setPendingLogout, wipeBrowserTraces } from './offline/wipe';
import { AUTO_LOCK_MS, auth } from './auth-state.svelte';
import { finishPendingLogout } from './session-start';

export { AUTO_LOCK_MS, auth } from './auth-state.svelte';
export { restoreSession } from './session-start';

let idleTimer: ReturnType<typeof setTimeout> | undefined;

const deps = { api: identityApi, derive: deriveInWorker };

export const currentSession = (): UnlockedSession | null => keyring.session();

/** True when the call failed because there is no valid session (cookie gone or expired). */
export const isUnauthorized = (error: unknown) =>
  error instanceof TRPCClientError && error.data?.httpStatus === 401;

/**
 * Drops every key and everything decrypted with them that lives outside a page: the keyring
 * (session and org keys), the device cache's index key and the memberships (after an
 * offline unlock they were decrypted from this device). Pages that show decrypted data are
 * replaced by the lock screen, which destroys their state.
 */
function dropKeys() {
  keyring.clear();
  dropDeviceSecrets();
  auth.memberships = [];
  clearTimeout(idleTimer);
}

function armIdleLock() {
  clearTimeout(idleTimer);
  if (auth.status !== 'unlocked') return;
  idleTimer = setTimeout(() => lock({ automatic: true }), AUTO_LOCK_MS);
}

let activityWatched = false;
function watchActivity() {
  if (activityWatched) return;
  activityWatched = true;
  for (const event of ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const) {
    window.addEventListener(event, armIdleLock, { passive: true, capture: true });
  }
  // Back online: the server confirms the session (and the device cache is refreshed).
  window.addEventListener('online', () => void revalidate());
}

/** Seals what offline unlock needs; a storage failure never stands in the way of a login. */
async function rememberQuietly(session: UnlockedSession, memberships: readonly Membership[]) {
  try {
    await rememberOnDevice(session, memberships);
  } catch {
    // IndexedDB unavailable (private mode, quota): this device simply cannot unlock offline.
  }
}

async function becomeUnlocked(
  session: UnlockedSession,
  from: { offline: false } | { offline: true; memberships: Membership[]; savedAt: number },
) {
  keyring.setSession(session);
  auth.user = session.user;
  auth.status = 'unlocked';
  auth.autoLocked = false;
  auth.offline = from.offline;
  if (from.offline) {
    auth.memberships = from.memberships;
    markSynced(from.savedAt);
  } else {
    await refreshMemberships();
  }
  watchActivity();
  armIdleLock();
}

/** Fresh memberships from the server; the device's sealed copy is renewed with them. */
export async function refreshMemberships(): Promise<void> {
  const me = await identityApi.me.query();
  auth.user = me.user;
  auth.memberships = me.memberships;
  auth.offline = false;
  markSynced();
  const session = keyring.session();
  if (session && session.user.id === me.user.id) await rememberQuietly(session, me.memberships);
}

/**
 * The connection is back: a pending logout is completed, and a session unlocked offline is
 * confirmed with the server. If the server no longer knows it (expired, logged out, another
 * user), the keys are dropped and the user logs in again; queued uploads stay sealed.
 */
async function revalidate(): Promise<void> {
  if (pendingLogout()) await finishPendingLogout();
  const session = keyring.session();
  if (auth.status !== 'unlocked' || !session) return;
  try {
    const me = await identityApi.me.query();
    if (keyring.session() !== session) return;
    if (me.user.id !== session.user.id) {
      endSession();
      return;
    }
    await refreshMemberships();
  } catch (error) {
    if (isUnauthorized(error) && keyring.session() === session) endSession();
  }
}

/** Forgets the user in this tab (keys, identity); storage is handled by `logout`. */
function endSession() {
  dropKeys();
  auth.status = 'anonymous';
  auth.user = null;
  auth.autoLocked = false;
  auth.offline = false;
  forgetSync();
}

export const register = (email: string, password: string) =>
  account.register(deps, { email, password });

/** Unlocks with this device's sealed keys; rethrows `cause` if the device keeps none. */
async function unlockHere(email: string | null, password: string, cause: unknown) {
  const opened = await unlockOnDevice({ email, password, derive: deriveInWorker });
  if (!opened) throw cause;
  await becomeUnlocked(opened.session, { offline: true, ...opened });
}

/**
 * Logs in with the server; when it cannot be reached, with the keys this device keeps from
 * an earlier online login (the same password check: the userKey envelope must open).
 */
export async function login(email: string, password: string): Promise<void> {
  let session: UnlockedSession;
  try {
    session = await account.login(deps, { email, password });
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    return unlockHere(email, password, error);
  }
  // The new session replaces the cookie an offline logout could not end.
  setPendingLogout(false);
  await becomeUnlocked(session, { offline: false });
}

/** Unlocks after a lock: with the server's envelopes, or this device's when offline. */
export async function unlock(password: string): Promise<void> {
  let session: UnlockedSession;
  try {
    session = await account.unlock(deps, password);
  } catch (error) {
    if (isUnauthorized(error)) {
      // The server session ended while locked: log in again.
      endSession();
      throw error;
    }
    if (!isUnreachable(error)) throw error;
    return unlockHere(auth.user?.email ?? null, password, error);
  }
  await becomeUnlocked(session, { offline: false });
}

export function lock(options: { automatic?: boolean } = {}): void {
  dropKeys();
  if (auth.status === 'unlocked') auth.status = 'locked';
  auth.autoLocked = options.automatic ?? false;
}

/**
 * Ends the session and removes the user's readable traces from this browser (P9): keys and
 * decrypted data in memory, the offline-unlock record and cached answers on this device,
 * session and local storage (but the language), caches other than the app shell. Queued
 * uploads stay, sealed, to be sent at the user's next login. If the server cannot be
 * reached, the cookie is ended as soon as it can be (`restoreSession`, `revalidate`).
 */
export async function logout(): Promise<void> {
  endSession();
  forgetWrittenLinks();
  await Promise.allSettled([removeFromDevice(), wipeBrowserTraces()]);
  try {
    await identityApi.logout.mutate();
  } catch (error) {
    if (isUnreachable(error)) setPendingLogout(true);
  }
}

export async function changePassword(currentPassword: string, newPassword: string) {
  const session = keyring.session();
  if (!session) throw new Error('locked');
  const next = await account.changePassword(deps, session, { currentPassword, newPassword });
  keyring.setSession(next);
  // Offline unlock now takes the new password (and the new KDF parameters).
  await rememberQuietly(next, auth.memberships);
}

export const resetWithRecoveryCode = (email: string, recoveryCode: string, newPassword: string) =>
  account.resetWithRecoveryCode(deps, { email, recoveryCode, newPassword });

export const resetByEmail = (token: string, newPassword: string) =>
  account.resetByEmail(deps, { token, newPassword });

/** The org key of one of the user's organisations, opened on first use and kept in memory. */
export async function orgKeyFor(orgId: string): Promise<CryptoKey | null> {
  const session = keyring.session();
  if (!session) return null;
  const cached = keyring.orgKey(orgId);
  if (cached) return cached;
  const membership = auth.memberships.find((m) => m.orgId === orgId);
  if (!membership) return null;
  const key = await openOrgKey(session, membership);
  if (key) keyring.setOrgKey(orgId, key);
  return key;
}
