import { TRPCClientError } from '@trpc/client';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { financePayloadSchema, type FinancePayload } from '../../domain/sie-summary';
import { financeApi } from './api';
import type { OpenEntity } from './core/finance/entities';
import { uploadPayload } from './core/finance/entities';
import {
  binding,
  kid,
  openParts,
  sealParts,
  utf8Decode,
  utf8Encode,
  type SymmetricEnvelope,
} from './core/crypto/index';
import { entitiesOf } from './entities';
import { keyring } from './keyring';

/**
 * The offline upload queue (issue "Offline: the payload is kept as a draft"; DESIGN §3 data
 * flow, P9). Every upload is first written here, sealed with the user's userKey (purpose
 * `local-draft`), and only then sent; a draft is deleted once the finance API has accepted
 * it, so nothing is lost if the tab closes or the network drops mid-way.
 *
 * What IndexedDB holds per draft in plaintext: its random id, the userId (to find a user's
 * drafts), when it was queued, how many attempts failed and whether the server refused it.
 * Everything else — organisation, link, target name, file name, figures — is ciphertext. No
 * capability is ever stored: at upload time the entity is re-opened from its org link.
 *
 * Logout and (auto-)lock deliberately leave drafts in place: they are unreadable without the
 * user's password, and deleting them would lose work that has not reached the server yet. They
 * are sent after the same user next unlocks (see `flushQueue`).
 */

/** What a draft holds (encrypted). */
export interface DraftContent {
  orgId: string;
  linkId: string;
  targetName: string;
  fileName: string;
  payload: FinancePayload;
}

export type DraftState = 'queued' | 'refused';

/** A decrypted draft as the UI shows it. */
export interface QueuedUpload extends DraftContent {
  id: string;
  createdAt: number;
  attempts: number;
  state: DraftState;
}

interface DraftRecord {
  id: string;
  userId: string;
  createdAt: number;
  attempts: number;
  refused: boolean;
  /** The sealed JSON of `DraftContent`, split into parts that fit one envelope each. */
  parts: SymmetricEnvelope[];
}

interface DraftDb extends DBSchema {
  drafts: { key: string; value: DraftRecord; indexes: { byUser: string } };
}

export const DRAFT_DB = 'nyckel-drafts';
const STORE = 'drafts';

let dbPromise: Promise<IDBPDatabase<DraftDb>> | null = null;
const db = () =>
  (dbPromise ??= openDB<DraftDb>(DRAFT_DB, 1, {
    upgrade(database) {
      database.createObjectStore(STORE, { keyPath: 'id' }).createIndex('byUser', 'userId');
    },
  }));

/**
 * The database only if it already exists: reading an empty queue must not create one, so a
 * browser that never queued anything keeps no database at all (P9 test in accounts.e2e.ts).
 */
async function existingDb(): Promise<IDBPDatabase<DraftDb> | null> {
  if (!dbPromise && typeof indexedDB.databases === 'function') {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(DRAFT_DB)) return null;
  }
  return db();
}

/**
 * Writes of new drafts and the deletion of an empty database run one at a time, so a draft
 * written just as the queue empties can never be deleted with the database.
 */
let serial: Promise<unknown> = Promise.resolve();
function serially<T>(task: () => Promise<T>): Promise<T> {
  const run = serial.then(task, task);
  serial = run.catch(() => undefined);
  return run;
}

const changes = new EventTarget();

/** Calls `listener` whenever the queue changes; returns the unsubscribe function. */
export function onQueueChange(listener: () => void): () => void {
  changes.addEventListener('change', listener);
  return () => changes.removeEventListener('change', listener);
}
const changed = () => changes.dispatchEvent(new Event('change'));

const unlockedSession = () => {
  const session = keyring.session();
  if (!session) throw new Error('locked');
  return session;
};

const draftParts = (userId: string, id: string) => ({
  purpose: 'local-draft' as const,
  kid: kid.user(userId),
  bindingOf: (part: number, parts: number) => binding.draft(userId, id, part, parts),
});

const seal = (userKey: CryptoKey, userId: string, id: string, content: DraftContent) =>
  sealParts(userKey, utf8Encode(JSON.stringify(content)), draftParts(userId, id));

/** A decrypted draft is validated again before use. */
const contentSchema = z.strictObject({
  orgId: z.string().min(1),
  linkId: z.string().min(1),
  targetName: z.string(),
  fileName: z.string(),
  payload: financePayloadSchema,
});

async function open(userKey: CryptoKey, record: DraftRecord): Promise<DraftContent> {
  const bytes = await openParts(userKey, record.parts, draftParts(record.userId, record.id));
  return contentSchema.parse(JSON.parse(utf8Decode(bytes)));
}

/** Seals the upload with the signed-in user's userKey and stores it; returns the draft id. */
export async function queueUpload(content: DraftContent): Promise<string> {
  const { user, keys } = unlockedSession();
  const id = crypto.randomUUID();
  const record: DraftRecord = {
    id,
    userId: user.id,
    createdAt: Date.now(),
    attempts: 0,
    refused: false,
    parts: await seal(keys.userKey, user.id, id, content),
  };
  await serially(async () => (await db()).put(STORE, record));
  changed();
  return id;
}

/** How many drafts the user has queued (readable without the keys). */
export async function countQueued(userId: string): Promise<number> {
  return (await existingDb())?.countFromIndex(STORE, 'byUser', userId) ?? 0;
}

/** The user's drafts, decrypted (the user must be the unlocked one); oldest first. */
export async function listQueued(userId: string): Promise<QueuedUpload[]> {
  const session = keyring.session();
  if (!session || session.user.id !== userId) return [];
  const database = await existingDb();
  if (!database) return [];
  const records = await database.getAllFromIndex(STORE, 'byUser', userId);
  const out: QueuedUpload[] = [];
  for (const record of records.sort((a, b) => a.createdAt - b.createdAt)) {
    try {
      const content = await open(session.keys.userKey, record);
      out.push({
        ...content,
        id: record.id,
        createdAt: record.createdAt,
        attempts: record.attempts,
        state: record.refused ? 'refused' : 'queued',
      });
    } catch {
      // Not decryptable with this key (corrupted or tampered): skipped, never shown.
    }
  }
  return out;
}

/**
 * Once the last draft of every user is gone, the database itself is deleted, so a browser
 * whose queue has emptied keeps no trace that anything was ever queued (P9).
 */
const dropIfEmpty = () => serially(dropDatabaseIfEmpty);

async function dropDatabaseIfEmpty(): Promise<void> {
  const database = await existingDb();
  if (!database || (await database.count(STORE)) > 0) return;
  database.close();
  dbPromise = null;
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(DRAFT_DB);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

export async function removeQueued(id: string): Promise<void> {
  const database = await existingDb();
  if (!database) return;
  await database.delete(STORE, id);
  await dropIfEmpty();
  changed();
}

async function update(id: string, change: Partial<Pick<DraftRecord, 'attempts' | 'refused'>>) {
  const database = await existingDb();
  const record = await database?.get(STORE, id);
  if (!database || !record) return;
  await database.put(STORE, { ...record, ...change });
  changed();
}

/** Puts a refused draft back in the queue (e.g. after the profile has been fixed). */
export async function retryQueued(id: string): Promise<void> {
  await update(id, { refused: false });
}

export type FlushOutcome =
  | { id: string; status: 'uploaded'; years: number }
  | { id: string; status: 'kept'; error: unknown }
  | { id: string; status: 'refused'; error: unknown };

/** True when the server answered and said no (retrying the same draft will not help). */
const refusedByServer = (error: unknown) => {
  if (!(error instanceof TRPCClientError)) return false;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  return (
    typeof status === 'number' && status >= 400 && status < 500 && ![408, 429].includes(status)
  );
};

async function flushOnce(): Promise<FlushOutcome[]> {
  const session = keyring.session();
  if (!session || !navigator.onLine) return [];
  const drafts = (await listQueued(session.user.id)).filter((d) => d.state === 'queued');
  const entities = new Map<string, Promise<OpenEntity[] | null>>();
  const outcomes: FlushOutcome[] = [];
  for (const draft of drafts) {
    if (!navigator.onLine || keyring.session() !== session) break;
    try {
      if (!entities.has(draft.orgId)) entities.set(draft.orgId, entitiesOf(draft.orgId));
      const opened = await entities.get(draft.orgId);
      if (!opened) {
        // The org key is not at hand (memberships still loading): try again later.
        outcomes.push({ id: draft.id, status: 'kept', error: new Error('locked') });
        continue;
      }
      const found = opened.find((e) => e.linkId === draft.linkId);
      if (!found) {
        // The company or client is gone (or the user left the organisation).
        await update(draft.id, { refused: true });
        outcomes.push({ id: draft.id, status: 'refused', error: new Error('no target') });
        continue;
      }
      const result = await uploadPayload(financeApi, found, draft.payload);
      await removeQueued(draft.id);
      outcomes.push({ id: draft.id, status: 'uploaded', years: result.years });
    } catch (error) {
      entities.delete(draft.orgId);
      const refused = refusedByServer(error);
      await update(draft.id, { attempts: draft.attempts + 1, refused });
      outcomes.push({ id: draft.id, status: refused ? 'refused' : 'kept', error });
    }
  }
  return outcomes;
}

let running: Promise<unknown> = Promise.resolve();
const flushListeners = new Set<(outcomes: FlushOutcome[]) => void>();

/** Calls `listener` with the outcomes of every flush pass; returns the unsubscribe function. */
export function onFlush(listener: (outcomes: FlushOutcome[]) => void): () => void {
  flushListeners.add(listener);
  return () => flushListeners.delete(listener);
}

/**
 * Sends every queued draft of the unlocked user when the browser is online: removes it on
 * success, keeps it on a network or server-side failure (tried again later), marks it refused
 * when the server rejects it. Passes run one after the other, never in parallel.
 */
export function flushQueue(): Promise<FlushOutcome[]> {
  const pass = running.then(flushOnce, flushOnce);
  running = pass.catch(() => undefined);
  return pass.then((outcomes) => {
    if (outcomes.length > 0) for (const listener of flushListeners) listener(outcomes);
    return outcomes;
  });
}
