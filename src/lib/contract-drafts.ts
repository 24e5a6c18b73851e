import { z } from 'zod';
import {
  contractIdSchema,
  contractPrivateSchema,
  contractTermsSchema,
} from '../../domain/contracts';
import { financeApi } from './api';
import { binding } from './core/crypto/index';
import { removeContract, saveContract, type ContractInput } from './core/finance/contracts';
import type { OpenEntity } from './core/finance/entities';
import { draftDelivery, errorDataOf } from './draft-delivery';
import { sealedQueue, type QueuedDraft } from './sealed-queue';

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

export type QueuedContractChange = QueuedDraft<ContractDraftContent>;

const changes = sealedQueue<ContractDraftContent>({
  database: CONTRACT_DRAFT_DB,
  bindingOf: binding.contractDraft,
  contentSchema,
  validateOnAdd: true,
});

/** Calls `listener` whenever the queue changes or a change reached the server. */
export const onContractQueueChange = changes.onChange;

/** Seals a change with the unlocked user's userKey and stores it; returns the draft id. */
export const queueContractChange = changes.add;

/** The unlocked user's queued changes, decrypted, oldest first. */
export const listQueuedContractChanges = changes.list;

/** Drops a queued change (sent, or withdrawn by the user). */
export const removeQueuedContractChange = changes.remove;

export type ContractFlushOutcome =
  { id: string; status: 'sent' } | { id: string; status: 'kept' | 'refused'; error: unknown };

const send = (entity: OpenEntity, content: ContractDraftContent) =>
  content.action === 'save'
    ? saveContract(financeApi, entity, content.input satisfies ContractInput)
    : removeContract(financeApi, entity, content.contractId).catch((error: unknown) => {
        // Already gone (deleted on another device, or never synced): the change is done.
        if (errorDataOf(error)?.reason !== 'CONTRACT_NOT_FOUND') throw error;
      });

const deliverChanges = draftDelivery(changes, async (entity, content) => {
  await send(entity, content);
  return { status: 'sent' as const };
});

/**
 * Sends every queued change of the unlocked user when online: removes it on success, keeps
 * it on a network or server failure, marks it refused when the server rejects it. One pass
 * at a time.
 */
export function flushContractQueue(): Promise<ContractFlushOutcome[]> {
  return deliverChanges().then((outcomes) => {
    if (outcomes.some((o) => o.status === 'sent')) changes.changed();
    return outcomes;
  });
}

/** Puts a refused change back in the queue. */
export const retryQueuedContractChange = (id: string) => changes.update(id, { refused: false });
