import { z } from 'zod';
import { financePayloadSchema, type FinancePayload } from '../../domain/sie-summary';
import { financeApi } from './api';
import { uploadPayload } from './core/finance/entities';
import { binding } from './core/crypto/index';
import { draftDelivery } from './draft-delivery';
import { sealedQueue } from './sealed-queue';

/**
 * The offline upload queue (issue "Offline: the payload is kept as a draft"; DESIGN §3 data
 * flow, P9). Every upload is first written here, sealed with the user's userKey (purpose
 * `local-draft`, binding `draft/<userId>/<draftId>/i/n`; sealed-queue.ts), and only then sent;
 * a draft is deleted once the finance API has accepted it, so nothing is lost if the tab
 * closes or the network drops mid-way.
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

export const DRAFT_DB = 'nyckel-drafts';

/** A decrypted draft is validated again before use. */
const contentSchema = z.strictObject({
  orgId: z.string().min(1),
  linkId: z.string().min(1),
  targetName: z.string(),
  fileName: z.string(),
  payload: financePayloadSchema,
}) satisfies z.ZodType<DraftContent>;

const uploads = sealedQueue<DraftContent>({
  database: DRAFT_DB,
  bindingOf: binding.draft,
  contentSchema,
});

/** Calls `listener` whenever the queue changes; returns the unsubscribe function. */
export const onQueueChange = uploads.onChange;

/** Seals the upload with the signed-in user's userKey and stores it; returns the draft id. */
export const queueUpload = uploads.add;

/** How many drafts the user has queued (readable without the keys). */
export const countQueued = uploads.count;

/** The user's drafts, decrypted (the user must be the unlocked one); oldest first. */
export async function listQueued(userId: string): Promise<QueuedUpload[]> {
  return (await uploads.list(userId)).map(({ content, ...draft }) => ({ ...content, ...draft }));
}

/**
 * Removes a draft. Once the last draft of every user is gone, the database itself is deleted,
 * so a browser whose queue has emptied keeps no trace that anything was ever queued (P9).
 */
export const removeQueued = uploads.remove;

/** Puts a refused draft back in the queue (e.g. after the profile has been fixed). */
export async function retryQueued(id: string): Promise<void> {
  await uploads.update(id, { refused: false });
}

export type FlushOutcome =
  | { id: string; status: 'uploaded'; years: number }
  | { id: string; status: 'kept'; error: unknown }
  | { id: string; status: 'refused'; error: unknown };

const deliverUploads = draftDelivery(uploads, async (entity, draft) => {
  const result = await uploadPayload(financeApi, entity, draft.payload);
  return { status: 'uploaded' as const, years: result.years };
});

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
  return deliverUploads().then((outcomes) => {
    if (outcomes.length > 0) for (const listener of flushListeners) listener(outcomes);
    return outcomes;
  });
}
