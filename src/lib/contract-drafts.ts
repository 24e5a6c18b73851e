import { TRPCClientError } from '@trpc/client';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import {
  contractIdSchema,
  contractPrivateSchema,
  contractTermsSchema,
} from '../../domain/contracts';
import { financeApi } from './api';
import {
  binding,
  kid,
  openParts,
  sealParts,
  utf8Decode,
  utf8Encode,
  type SymmetricEnvelope,
} from './core/crypto/index';
import { removeContract, saveContract, type ContractInput } from './core/finance/contracts';
import type { OpenEntity } from './core/finance/entities';
import { entitiesOf } from './entities';
import { keyring } from './keyring';

/**
 * The offline queue of agreement changes (issue #7; DESIGN §1 "enter agreements offline",
 * P9), beside the upload queue of drafts.ts and built the same way: every save or deletion is
 * first written here, sealed with the user's userKey (purpose `local-draft`, binding
 * `contract-draft/<userId>/<draftId>/i/n`), then sent; a draft is deleted once the finance API
 * has taken it. Drafts are sent oldest first, so the last edit of an agreement wins.
 *
 * In plaintext IndexedDB holds per draft only its random id, the userId, when it was queued,
 * failed attempts and whether the server refused it. Organisation, client, supplier, notes,
 * terms and figures are ciphertext. No capability is stored: at sync time the entity is opened
 * again from its org link. The database exists only while it holds a draft.
 */
export const CONTRACT_DRAFT_DB = 'nyckel-contract-drafts';
const STORE = 'drafts';

const inputSchema = z.strictObject({
  id: contractIdSchema,
  terms: contractTermsSchema,
  private: contractPrivateSchema,
});

/** What a draft holds (encrypted): which entity, and the change. */
const contentSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('save'),
    orgId: z.string().min(1),
    linkId: z.string().min(1),
    targetName: z.string(),
    input: inputSchema,
  }),
  z.strictObject({
    action: z.literal('remove'),
    orgId: z.string().min(1),
    linkId: z.string().min(1),
    targetName: z.string(),
    contractId: contractIdSchema,
  }),
]);
export type ContractDraftContent = z.infer<typeof contentSchema>;

export interface QueuedContractChange {
  id: string;
  createdAt: number;
  attempts: number;
  state: 'queued' | 'refused';
  content: ContractDraftContent;
}

interface DraftRecord {
  id: string;
  userId: string;
  createdAt: number;
  attempts: number;
  refused: boolean;
  parts: SymmetricEnvelope[];
}

interface DraftDb extends DBSchema {
  drafts: { key: string; value: DraftRecord; indexes: { byUser: string } };
}

let dbPromise: Promise<IDBPDatabase<DraftDb>> | null = null;
const db = () =>
  (dbPromise ??= openDB<DraftDb>(CONTRACT_DRAFT_DB, 1, {
    upgrade(database) {
      database.createObjectStore(STORE, { keyPath: 'id' }).createIndex('byUser', 'userId');
    },
  }));

/** The database only if it exists: reading an empty queue must not create one (P9). */
async function existingDb(): Promise<IDBPDatabase<DraftDb> | null> {
  if (!dbPromise && typeof indexedDB.databases === 'function') {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(CONTRACT_DRAFT_DB)) return null;
  }
  return db();
}

/** New drafts and the deletion of an empty database run one at a time. */
let serial: Promise<unknown> = Promise.resolve();
function serially<T>(task: () => Promise<T>): Promise<T> {
  const run = serial.then(task, task);
  serial = run.catch(() => undefined);
  return run;
}

const changes = new EventTarget();
/** Calls `listener` whenever the queue changes or a change reached the server. */
export function onContractQueueChange(listener: () => void): () => void {
  changes.addEventListener('change', listener);
  return () => changes.removeEventListener('change', listener);
}
const changed = () => changes.dispatchEvent(new Event('change'));

const partsContext = (userId: string, id: string) => ({
  purpose: 'local-draft' as const,
  kid: kid.user(userId),
  bindingOf: (part: number, parts: number) => binding.contractDraft(userId, id, part, parts),
});

/** Seals a change with the unlocked user's userKey and stores it; returns the draft id. */
export async function queueContractChange(content: ContractDraftContent): Promise<string> {
  const session = keyring.session();
  if (!session) throw new Error('locked');
  const checked = contentSchema.parse(content);
  const id = crypto.randomUUID();
  const record: DraftRecord = {
    id,
    userId: session.user.id,
    createdAt: Date.now(),
    attempts: 0,
    refused: false,
    parts: await sealParts(
      session.keys.userKey,
      utf8Encode(JSON.stringify(checked)),
      partsContext(session.user.id, id),
    ),
  };
  await serially(async () => (await db()).put(STORE, record));
  changed();
  return id;
}

/** The unlocked user's queued changes, decrypted, oldest first. */
export async function listQueuedContractChanges(userId: string): Promise<QueuedContractChange[]> {
  const session = keyring.session();
  if (!session || session.user.id !== userId) return [];
  const database = await existingDb();
  if (!database) return [];
  const records = await database.getAllFromIndex(STORE, 'byUser', userId);
  const out: QueuedContractChange[] = [];
  for (const record of records.sort((a, b) => a.createdAt - b.createdAt)) {
    try {
      const bytes = await openParts(
        session.keys.userKey,
        record.parts,
        partsContext(record.userId, record.id),
      );
      out.push({
        id: record.id,
        createdAt: record.createdAt,
        attempts: record.attempts,
        state: record.refused ? 'refused' : 'queued',
        content: contentSchema.parse(JSON.parse(utf8Decode(bytes))),
      });
    } catch {
      // Not decryptable with this key (corrupted or tampered): skipped, never shown.
    }
  }
  return out;
}

async function dropDatabaseIfEmpty(): Promise<void> {
  const database = await existingDb();
  if (!database || (await database.count(STORE)) > 0) return;
  database.close();
  dbPromise = null;
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(CONTRACT_DRAFT_DB);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Drops a queued change (sent, or withdrawn by the user). */
export async function removeQueuedContractChange(id: string): Promise<void> {
  const database = await existingDb();
  if (!database) return;
  await database.delete(STORE, id);
  await serially(dropDatabaseIfEmpty);
  changed();
}

async function update(id: string, change: Partial<Pick<DraftRecord, 'attempts' | 'refused'>>) {
  const database = await existingDb();
  const record = await database?.get(STORE, id);
  if (!database || !record) return;
  await database.put(STORE, { ...record, ...change });
  changed();
}

const statusOf = (error: unknown) =>
  error instanceof TRPCClientError
    ? (error.data as { httpStatus?: number; reason?: string } | undefined)
    : undefined;

/** The server answered and said no: retrying the same change will not help. */
const refusedByServer = (error: unknown) => {
  const status = statusOf(error)?.httpStatus;
  return (
    typeof status === 'number' && status >= 400 && status < 500 && ![408, 429].includes(status)
  );
};

export type ContractFlushOutcome =
  { id: string; status: 'sent' } | { id: string; status: 'kept' | 'refused'; error: unknown };

const send = (entity: OpenEntity, content: ContractDraftContent) =>
  content.action === 'save'
    ? saveContract(financeApi, entity, content.input satisfies ContractInput)
    : removeContract(financeApi, entity, content.contractId).catch((error: unknown) => {
        // Already gone (deleted on another device, or never synced): the change is done.
        if (statusOf(error)?.reason !== 'CONTRACT_NOT_FOUND') throw error;
      });

async function flushOnce(): Promise<ContractFlushOutcome[]> {
  const session = keyring.session();
  if (!session || !navigator.onLine) return [];
  const drafts = (await listQueuedContractChanges(session.user.id)).filter(
    (d) => d.state === 'queued',
  );
  const entities = new Map<string, Promise<OpenEntity[] | null>>();
  const outcomes: ContractFlushOutcome[] = [];
  for (const draft of drafts) {
    if (!navigator.onLine || keyring.session() !== session) break;
    const { orgId, linkId } = draft.content;
    try {
      if (!entities.has(orgId)) entities.set(orgId, entitiesOf(orgId));
      const opened = await entities.get(orgId);
      if (!opened) {
        outcomes.push({ id: draft.id, status: 'kept', error: new Error('locked') });
        continue;
      }
      const entity = opened.find((e) => e.linkId === linkId);
      if (!entity) {
        await update(draft.id, { refused: true });
        outcomes.push({ id: draft.id, status: 'refused', error: new Error('no target') });
        continue;
      }
      await send(entity, draft.content);
      await removeQueuedContractChange(draft.id);
      outcomes.push({ id: draft.id, status: 'sent' });
    } catch (error) {
      entities.delete(orgId);
      const refused = refusedByServer(error);
      await update(draft.id, { attempts: draft.attempts + 1, refused });
      outcomes.push({ id: draft.id, status: refused ? 'refused' : 'kept', error });
    }
  }
  return outcomes;
}

let running: Promise<unknown> = Promise.resolve();

/**
 * Sends every queued change of the unlocked user when online: removes it on success, keeps
 * it on a network or server failure, marks it refused when the server rejects it. One pass
 * at a time.
 */
export function flushContractQueue(): Promise<ContractFlushOutcome[]> {
  const pass = running.then(flushOnce, flushOnce);
  running = pass.catch(() => undefined);
  return pass.then((outcomes) => {
    if (outcomes.some((o) => o.status === 'sent')) changed();
    return outcomes;
  });
}

/** Puts a refused change back in the queue. */
export const retryQueuedContractChange = (id: string) => update(id, { refused: false });
