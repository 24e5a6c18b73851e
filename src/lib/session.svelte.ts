import { TRPCClientError } from '@trpc/client';
import { identityApi } from './api';
import * as account from './core/account/account';
import type { AccountUser, Membership, UnlockedSession } from './core/account/account';
import { openOrgKey } from './core/account/organisation';
import { deriveInWorker } from './kdf';
import { keyring } from './keyring';

/** Keys are dropped after this long without a key press, click or scroll (P9). */
export const AUTO_LOCK_MS = 10 * 60 * 1000;

type Status = 'unknown' | 'anonymous' | 'locked' | 'unlocked';

/**
 * What the UI may render: who is logged in and their memberships. The keys themselves are
 * kept outside reactive state (in `keyring`) and never written to any storage.
 */
export const auth = $state({
  status: 'unknown' as Status,
  user: null as AccountUser | null,
  memberships: [] as Membership[],
  autoLocked: false,
});

let idleTimer: ReturnType<typeof setTimeout> | undefined;

const deps = { api: identityApi, derive: deriveInWorker };

export const currentSession = (): UnlockedSession | null => keyring.session();

/** True when the call failed because there is no valid session (cookie gone or expired). */
export const isUnauthorized = (error: unknown) =>
  error instanceof TRPCClientError && error.data?.httpStatus === 401;

function dropKeys() {
  keyring.clear();
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
}

async function becomeUnlocked(session: UnlockedSession) {
  keyring.setSession(session);
  auth.user = session.user;
  auth.status = 'unlocked';
  auth.autoLocked = false;
  await refreshMemberships();
  watchActivity();
  armIdleLock();
}

/** On app start: a live session cookie means "locked" (keys need the password again). */
export async function restoreSession(): Promise<void> {
  try {
    const me = await identityApi.me.query();
    auth.user = me.user;
    auth.memberships = me.memberships;
    auth.status = 'locked';
  } catch {
    auth.status = 'anonymous';
  }
}

export async function refreshMemberships(): Promise<void> {
  const me = await identityApi.me.query();
  auth.user = me.user;
  auth.memberships = me.memberships;
}

export const register = (email: string, password: string) =>
  account.register(deps, { email, password });

export async function login(email: string, password: string): Promise<void> {
  await becomeUnlocked(await account.login(deps, { email, password }));
}

export async function unlock(password: string): Promise<void> {
  await becomeUnlocked(await account.unlock(deps, password));
}

export function lock(options: { automatic?: boolean } = {}): void {
  dropKeys();
  if (auth.status === 'unlocked') auth.status = 'locked';
  auth.autoLocked = options.automatic ?? false;
}

export async function logout(): Promise<void> {
  dropKeys();
  try {
    await identityApi.logout.mutate();
  } finally {
    auth.status = 'anonymous';
    auth.user = null;
    auth.memberships = [];
    auth.autoLocked = false;
  }
}

export async function changePassword(currentPassword: string, newPassword: string) {
  const session = keyring.session();
  if (!session) throw new Error('locked');
  keyring.setSession(await account.changePassword(deps, session, { currentPassword, newPassword }));
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
