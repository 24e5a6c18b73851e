import {
  canonicalEmail,
  strongKdf,
  type Membership,
  type UnlockedSession,
} from '../core/account/account';
import { cryptoError, type AccountSecrets, type KdfParams } from '../core/crypto/index';
import { keyring } from '../keyring';
import { accountRecord, accountRecords, putAccountRecord, removeHandle } from './store';
import {
  deviceIdentitySchema,
  newIndexKey,
  openOwnAccount,
  sealOfflineAccount,
  unlockOfflineAccount,
  type DeviceCache,
  type OfflineAccountRecord,
} from './vault';

/**
 * The signed-in user's offline record on this device (see `vault.ts`), as this tab knows it:
 * its random handle survives a lock (so the lock screen tries only that record), the index
 * key that names cached entries is decrypted material and is dropped with the other keys.
 * Memory only; nothing here is written anywhere but sealed.
 */
interface DeviceUser {
  handle: string;
  userId: string;
  indexKey: string | null;
}

let current: DeviceUser | null = null;

/** The unlocked user's cache keys, or null while locked or before anything was stored. */
export function deviceCache(): DeviceCache | null {
  const session = keyring.session();
  if (!current?.indexKey || !session || session.user.id !== current.userId) return null;
  return {
    handle: current.handle,
    userId: current.userId,
    userKey: session.keys.userKey,
    indexKey: current.indexKey,
  };
}

let serial: Promise<unknown> = Promise.resolve();
function serially<T>(task: () => Promise<T>): Promise<T> {
  const run = serial.then(task, task);
  serial = run.catch(() => undefined);
  return run;
}

/**
 * After the server has confirmed the user (online login or unlock, a membership refresh, a
 * password change): seals what offline unlock needs with the current keys and KDF parameters
 * and the identity just received. The user's earlier record on this device — found by the
 * only means there is, opening each record with their userKey — keeps its handle and index
 * key, so cached answers stay readable; any further record of theirs is removed.
 */
export const rememberOnDevice = (session: UnlockedSession, memberships: readonly Membership[]) =>
  serially(async () => {
    const userId = session.user.id;
    const own: { record: OfflineAccountRecord; indexKey: string }[] = [];
    for (const record of await accountRecords()) {
      const identity = await openOwnAccount(record, userId, session.keys.userKey);
      if (identity) own.push({ record, indexKey: identity.indexKey });
    }
    const kept =
      own.find((o) => current?.userId === userId && o.record.handle === current.handle) ?? own[0];
    const handle = kept?.record.handle ?? crypto.randomUUID();
    const indexKey = kept?.indexKey ?? newIndexKey();
    const identity = deviceIdentitySchema.parse({
      user: session.user,
      memberships,
      indexKey,
      savedAt: Date.now(),
    });
    await putAccountRecord(await sealOfflineAccount({ handle, session, identity }));
    for (const other of own) {
      if (other.record.handle !== handle) await removeHandle(other.record.handle);
    }
    current = { handle, userId, indexKey };
    return identity.savedAt;
  });

export interface DeviceUnlock {
  session: UnlockedSession;
  memberships: Membership[];
  /** When the server last confirmed the cached identity. */
  savedAt: number;
}

/**
 * Unlocks with keys kept on this device while the server is unreachable. The lock screen
 * tries only the record of the user this tab had unlocked; the login page tries each record
 * (one Argon2id per record, with that record's parameters) and accepts the one that opens
 * and names `email`. Returns null when this device keeps no record at all; throws
 * `DECRYPT_FAILED`, as a wrong password online does, when none opens.
 */
export async function unlockOnDevice(input: {
  email: string | null;
  password: string;
  derive: (password: string, kdf: KdfParams) => Promise<AccountSecrets>;
}): Promise<DeviceUnlock | null> {
  const own = current ? await accountRecord(current.handle) : null;
  const records = own ? [own] : await accountRecords();
  if (records.length === 0) return null;
  for (const record of records) {
    try {
      const secrets = await input.derive(input.password, strongKdf(record.kdf));
      const { session, identity } = await unlockOfflineAccount(record, secrets);
      const named = canonicalEmail(session.user.email);
      if (input.email !== null && named !== canonicalEmail(input.email)) continue;
      current = { handle: record.handle, userId: session.user.id, indexKey: identity.indexKey };
      return { session, memberships: identity.memberships, savedAt: identity.savedAt };
    } catch {
      // Not this user's record, or not this password: try the next one.
    }
  }
  throw cryptoError('DECRYPT_FAILED', 'decryption failed');
}

/** On lock: the index key goes with the other keys; the handle stays for the lock screen. */
export function dropDeviceSecrets(): void {
  if (current) current = { ...current, indexKey: null };
}

/**
 * On explicit logout: removes the user's offline-unlock record and every cached answer of
 * theirs from this device, and forgets the handle. Queued uploads are not touched here.
 */
export async function removeFromDevice(): Promise<void> {
  const handle = current?.handle;
  current = null;
  if (handle) await removeHandle(handle);
}
