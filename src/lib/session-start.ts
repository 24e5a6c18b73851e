import { identityApi } from './api';
import { auth } from './auth-state.svelte';
import { pendingLogout, setPendingLogout } from './offline/wipe';

/**
 * On app start: a live session cookie means "locked" (keys need the password again). A
 * logout that could not reach the server is completed first, so its cookie shows nobody.
 * Needs only the identity API client, so the first screen can run it without the crypto.
 */
export async function restoreSession(): Promise<void> {
  if (pendingLogout()) {
    auth.status = 'anonymous';
    await finishPendingLogout();
    return;
  }
  try {
    const me = await identityApi.me.query();
    auth.user = me.user;
    auth.status = 'locked';
  } catch {
    auth.status = 'anonymous';
  }
}

/** Ends the session an offline logout left behind, once the server can be reached. */
export async function finishPendingLogout(): Promise<void> {
  try {
    await identityApi.logout.mutate();
    setPendingLogout(false);
  } catch {
    // Still unreachable: tried again at the next start or when the connection returns.
  }
}
