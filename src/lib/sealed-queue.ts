import type { DBSchema } from 'idb';
import type { z } from 'zod';
import { kid, openParts, sealParts, utf8Decode, utf8Encode } from './core/crypto/index';
import type { PartsContext, SymmetricEnvelope } from './core/crypto/index';
import { keyring } from './keyring';
import { transientDb } from './transient-db';

/**
 * A per-user queue of sealed drafts in IndexedDB (DESIGN §3 data flow, P9): the offline upload
 * queue (drafts.ts) and the queue of agreement changes (contract-drafts.ts). Each draft's
 * content is sealed with the user's userKey (purpose `local-draft`, kid of the user, one AAD
 * binding per part naming user, draft, part and part count), so a part cannot be moved to
 * another position, draft or user.
 *
 * In plaintext a record holds only its random id, the userId (indexed `byUser`, to find a
 * user's drafts), when it was queued, how many attempts failed and whether the server refused
 * it. The database exists only while it holds a draft (transient-db.ts).
 */
export interface DraftRecord {
  id: string;
  userId: string;
  createdAt: number;
  attempts: number;
  refused: boolean;
  /** The sealed JSON of the content, split into parts that fit one envelope each. */
  parts: SymmetricEnvelope[];
}

interface QueueDb extends DBSchema {
  drafts: { key: string; value: DraftRecord; indexes: { byUser: string } };
}

const STORE = 'drafts';

/** The AAD binding of part `part` of `parts` of a user's draft (from core/crypto's `binding`). */
export type DraftBinding = (userId: string, draftId: string, part: number, parts: number) => string;

/** How a user's draft is sealed: always `local-draft` under the user's kid. */
export const draftPartsContext = (
  bindingOf: DraftBinding,
  userId: string,
  draftId: string,
): PartsContext => ({
  purpose: 'local-draft',
  kid: kid.user(userId),
  bindingOf: (part, parts) => bindingOf(userId, draftId, part, parts),
});

/** Seals `content` as JSON for the given user's draft `draftId`. */
export const sealDraft = (
  userKey: CryptoKey,
  bindingOf: DraftBinding,
  userId: string,
  draftId: string,
  content: unknown,
): Promise<SymmetricEnvelope[]> =>
  sealParts(
    userKey,
    utf8Encode(JSON.stringify(content)),
    draftPartsContext(bindingOf, userId, draftId),
  );

/** Opens a record sealed by `sealDraft` and validates its content again; throws otherwise. */
export async function openDraft<Content>(
  userKey: CryptoKey,
  bindingOf: DraftBinding,
  record: Pick<DraftRecord, 'id' | 'userId' | 'parts'>,
  schema: z.ZodType<Content>,
): Promise<Content> {
  const bytes = await openParts(
    userKey,
    record.parts,
    draftPartsContext(bindingOf, record.userId, record.id),
  );
  return schema.parse(JSON.parse(utf8Decode(bytes)));
}

/** A decrypted draft. */
export interface QueuedDraft<Content> {
  id: string;
  createdAt: number;
  attempts: number;
  state: 'queued' | 'refused';
  content: Content;
}

export interface SealedQueue<Content> {
  /** Seals `content` with the unlocked user's userKey and stores it; returns the draft id. */
  add: (content: Content) => Promise<string>;
  /** How many drafts the user has queued (readable without the keys). */
  count: (userId: string) => Promise<number>;
  /** The user's drafts, decrypted (the user must be the unlocked one); oldest first. */
  list: (userId: string) => Promise<QueuedDraft<Content>[]>;
  /** Drops a draft; deletes the database once no user has one left. */
  remove: (id: string) => Promise<void>;
  /** Changes a draft's failed attempts or refusal. */
  update: (id: string, change: Partial<Pick<DraftRecord, 'attempts' | 'refused'>>) => Promise<void>;
  /** Calls `listener` whenever the queue changes; returns the unsubscribe function. */
  onChange: (listener: () => void) => () => void;
  /** Tells the listeners the queue changed. */
  changed: () => void;
}

export function sealedQueue<Content>(spec: {
  database: string;
  bindingOf: DraftBinding;
  contentSchema: z.ZodType<Content>;
  /** Whether `add` validates the content (once the user is known to be unlocked). */
  validateOnAdd?: boolean;
}): SealedQueue<Content> {
  const { database: name, bindingOf, contentSchema, validateOnAdd = false } = spec;
  const store = transientDb<QueueDb>(name, (database) => {
    database.createObjectStore(STORE, { keyPath: 'id' }).createIndex('byUser', 'userId');
  });

  const changes = new EventTarget();
  const changed = () => void changes.dispatchEvent(new Event('change'));
  const onChange = (listener: () => void) => {
    changes.addEventListener('change', listener);
    return () => changes.removeEventListener('change', listener);
  };

  async function add(content: Content): Promise<string> {
    const session = keyring.session();
    if (!session) throw new Error('locked');
    const checked = validateOnAdd ? contentSchema.parse(content) : content;
    const id = crypto.randomUUID();
    const record: DraftRecord = {
      id,
      userId: session.user.id,
      createdAt: Date.now(),
      attempts: 0,
      refused: false,
      parts: await sealDraft(session.keys.userKey, bindingOf, session.user.id, id, checked),
    };
    await store.serially(async () => (await store.open()).put(STORE, record));
    changed();
    return id;
  }

  const count = async (userId: string) =>
    (await store.existing())?.countFromIndex(STORE, 'byUser', userId) ?? 0;

  async function list(userId: string): Promise<QueuedDraft<Content>[]> {
    const session = keyring.session();
    if (!session || session.user.id !== userId) return [];
    const database = await store.existing();
    if (!database) return [];
    const records = await database.getAllFromIndex(STORE, 'byUser', userId);
    const out: QueuedDraft<Content>[] = [];
    for (const record of records.sort((a, b) => a.createdAt - b.createdAt)) {
      try {
        out.push({
          id: record.id,
          createdAt: record.createdAt,
          attempts: record.attempts,
          state: record.refused ? 'refused' : 'queued',
          content: await openDraft(session.keys.userKey, bindingOf, record, contentSchema),
        });
      } catch {
        // Not decryptable with this key (corrupted or tampered): skipped, never shown.
      }
    }
    return out;
  }

  async function remove(id: string): Promise<void> {
    const database = await store.existing();
    if (!database) return;
    await database.delete(STORE, id);
    await store.serially(() =>
      store.deleteIfEmpty(async (emptied) => (await emptied.count(STORE)) === 0),
    );
    changed();
  }

  async function update(id: string, change: Partial<Pick<DraftRecord, 'attempts' | 'refused'>>) {
    const database = await store.existing();
    const record = await database?.get(STORE, id);
    if (!database || !record) return;
    await database.put(STORE, { ...record, ...change });
    changed();
  }

  return { add, count, list, remove, update, onChange, changed };
}
