import { TRPCClientError } from '@trpc/client';
import type { OpenEntity } from './core/finance/entities';
import { entitiesOf } from './entities';
import { keyring } from './keyring';
import type { SealedQueue } from './sealed-queue';

/**
 * Sending a sealed queue's drafts (drafts.ts, contract-drafts.ts): one pass takes the unlocked
 * user's queued drafts oldest first, opens each one's entity again from its org link (no
 * capability is ever stored) and delivers it; a delivered draft is removed, one that failed on
 * the network or the server is kept for a later pass, one the server rejected (or whose
 * entity is gone) is marked refused. Passes of a queue run one after the other.
 */

/** Which entity a draft is for. */
export interface DraftTarget {
  orgId: string;
  linkId: string;
}

export type Undelivered = { id: string; status: 'kept' | 'refused'; error: unknown };
export type DeliveryOutcome<Delivered> = ({ id: string } & Delivered) | Undelivered;

/** The HTTP status and reason of a tRPC error the server answered with. */
export const errorDataOf = (error: unknown) =>
  error instanceof TRPCClientError
    ? (error.data as { httpStatus?: number; reason?: string } | undefined)
    : undefined;

/** True when the server answered and said no (retrying the same draft will not help). */
const refusedByServer = (error: unknown) => {
  const status = errorDataOf(error)?.httpStatus;
  return (
    typeof status === 'number' && status >= 400 && status < 500 && ![408, 429].includes(status)
  );
};

async function deliverOnce<Content extends DraftTarget, Delivered>(
  queue: SealedQueue<Content>,
  deliver: (entity: OpenEntity, content: Content) => Promise<Delivered>,
): Promise<DeliveryOutcome<Delivered>[]> {
  const session = keyring.session();
  if (!session || !navigator.onLine) return [];
  const drafts = (await queue.list(session.user.id)).filter((d) => d.state === 'queued');
  const entities = new Map<string, Promise<OpenEntity[] | null>>();
  const outcomes: DeliveryOutcome<Delivered>[] = [];
  for (const draft of drafts) {
    if (!navigator.onLine || keyring.session() !== session) break;
    const { orgId, linkId } = draft.content;
    try {
      if (!entities.has(orgId)) entities.set(orgId, entitiesOf(orgId));
      const opened = await entities.get(orgId);
      if (!opened) {
        // The org key is not at hand (memberships still loading): try again later.
        outcomes.push({ id: draft.id, status: 'kept', error: new Error('locked') });
        continue;
      }
      const entity = opened.find((e) => e.linkId === linkId);
      if (!entity) {
        // The company or client is gone (or the user left the organisation).
        await queue.update(draft.id, { refused: true });
        outcomes.push({ id: draft.id, status: 'refused', error: new Error('no target') });
        continue;
      }
      const delivered = await deliver(entity, draft.content);
      await queue.remove(draft.id);
      outcomes.push({ id: draft.id, ...delivered });
    } catch (error) {
      entities.delete(orgId);
      const refused = refusedByServer(error);
      await queue.update(draft.id, { attempts: draft.attempts + 1, refused });
      outcomes.push({ id: draft.id, status: refused ? 'refused' : 'kept', error });
    }
  }
  return outcomes;
}

/** The queue's delivery: each call runs one pass after the passes before it, never in parallel. */
export function draftDelivery<Content extends DraftTarget, Delivered>(
  queue: SealedQueue<Content>,
  deliver: (entity: OpenEntity, content: Content) => Promise<Delivered>,
): () => Promise<DeliveryOutcome<Delivered>[]> {
  let running: Promise<unknown> = Promise.resolve();
  return () => {
    const pass = running.then(
      () => deliverOnce(queue, deliver),
      () => deliverOnce(queue, deliver),
    );
    running = pass.catch(() => undefined);
    return pass;
  };
}
