import type { UnlockedSession } from './core/account/account';

/**
 * The unlocked keys of the signed-in user, in memory only: never in reactive state, never
 * in any storage. `clear` drops every reference (lock, logout, auto-lock).
 */
let session: UnlockedSession | null = null;
const orgKeys = new Map<string, CryptoKey>();

export const keyring = {
  session: () => session,
  setSession: (next: UnlockedSession) => {
    session = next;
    orgKeys.clear();
  },
  orgKey: (orgId: string) => orgKeys.get(orgId),
  setOrgKey: (orgId: string, key: CryptoKey) => orgKeys.set(orgId, key),
  clear: () => {
    session = null;
    orgKeys.clear();
  },
};
