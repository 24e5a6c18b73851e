import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import {
  binding,
  kid,
  openParts,
  sealParts,
  utf8Decode,
  utf8Encode,
  type SymmetricEnvelope,
} from './core/crypto/index';
import { keyring } from './keyring';

/**
 * A bureau's local file → client mapping (issue: "each file matched to a client by a mapping
 * the bureau keeps locally, encrypted; unmatched files listed, never guessed").
 *
 * A file is matched only by an exact key read from the file itself — its organisation number,
 * or, when the file has none, its exact company name — that the bureau has mapped to one of
 * its clients before. Nothing is inferred from similar names, file names or figures.
 *
 * The mapping never leaves the device: it is kept in IndexedDB, sealed with the user's
 * userKey (purpose `local-client-map`, one record per user and organisation), so the
 * companies' org numbers and names are unreadable there without the user's password (P9).
 */

/** `org:5562651892` (10 digits) or `name:<exact name, case and spacing folded>`. */
export type MatchKey = string;

/**
 * The key a file is matched by, or null when the file names no company at all. Org numbers
 * keep their last 10 digits (a 12-digit form with century matches its 10-digit form);
 * all-zero placeholder numbers count as absent.
 */
export function matchKeyOf(company: {
  orgNumber: string | null;
  name: string | null;
}): MatchKey | null {
  const digits = (company.orgNumber ?? '').replace(/\D/g, '');
  if (digits.length >= 10 && !/^0+$/.test(digits)) return `org:${digits.slice(-10)}`;
  const name = (company.name ?? '').trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv');
  return name ? `name:${name}` : null;
}

interface MapRecord {
  /** `<userId>/<orgId>`: random ids, nothing readable. */
  id: string;
  userId: string;
  parts: SymmetricEnvelope[];
}

interface MapDb extends DBSchema {
  maps: { key: string; value: MapRecord };
}

export const CLIENT_MAP_DB = 'nyckel-client-map';
const STORE = 'maps';
const mapSchema = z.record(z.string().min(1).max(300), z.string().uuid());

let dbPromise: Promise<IDBPDatabase<MapDb>> | null = null;
const db = () =>
  (dbPromise ??= openDB<MapDb>(CLIENT_MAP_DB, 1, {
    upgrade(database) {
      database.createObjectStore(STORE, { keyPath: 'id' });
    },
  }));

const mapParts = (userId: string, orgId: string) => ({
  purpose: 'local-client-map' as const,
  kid: kid.user(userId),
  bindingOf: (part: number, parts: number) => binding.clientMap(userId, orgId, part, parts),
});

const unlocked = () => {
  const session = keyring.session();
  if (!session) throw new Error('locked');
  return session;
};

/** The mapping of `orgId` (match key → link id), decrypted; empty when there is none. */
export async function loadClientMap(orgId: string): Promise<Record<MatchKey, string>> {
  const { user, keys } = unlocked();
  if (typeof indexedDB.databases === 'function' && !dbPromise) {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(CLIENT_MAP_DB)) return {};
  }
  const record = await (await db()).get(STORE, `${user.id}/${orgId}`);
  if (!record) return {};
  try {
    const bytes = await openParts(keys.userKey, record.parts, mapParts(user.id, orgId));
    return mapSchema.parse(JSON.parse(utf8Decode(bytes)));
  } catch {
    // Unreadable (tampered, or sealed under another key): treated as no mapping at all.
    return {};
  }
}

async function save(orgId: string, map: Record<MatchKey, string>): Promise<void> {
  const { user, keys } = unlocked();
  const parts = await sealParts(
    keys.userKey,
    utf8Encode(JSON.stringify(map)),
    mapParts(user.id, orgId),
  );
  await (await db()).put(STORE, { id: `${user.id}/${orgId}`, userId: user.id, parts });
}

/** Adds (or changes) entries: each match key then points at that client's link id. */
export async function rememberClients(
  orgId: string,
  entries: Record<MatchKey, string>,
): Promise<void> {
  if (Object.keys(entries).length === 0) return;
  await save(orgId, { ...(await loadClientMap(orgId)), ...entries });
}

/** Drops every entry that points at `linkId` (the client was removed). */
export async function forgetClient(orgId: string, linkId: string): Promise<void> {
  const map = await loadClientMap(orgId);
  const kept = Object.fromEntries(Object.entries(map).filter(([, id]) => id !== linkId));
  if (Object.keys(kept).length !== Object.keys(map).length) await save(orgId, kept);
}
