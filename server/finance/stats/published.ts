import type { ReleasedGroup } from './release';
import { GROUP_STATS, readStoredStats, STAT_FIELDS, STORED_STATS_BYTES } from './stored-stats';

/**
 * Every published group's statistics in memory, as `peer_group` holds them: the engine
 * (engine.ts) hands over what it released once the database has taken it, and the benchmark
 * query reads only from here (issue #6).
 *
 * Before, the query read `peer_group` on demand and kept up to 16 384 groups, and forgot them
 * all on any write to the database (an upload too). At 200 000 companies the first 2 000
 * queries after a start read 13 600 groups from the database, ≈ 0.4 ms a query, and every
 * upload batch started that again. Holding them all costs 3 456 bytes a group (256 MB for
 * the 74 204 groups published at 200 000 companies), in typed arrays the garbage collector
 * does not trace.
 *
 * The engine is the only writer of `peer_group`, and it replaces what is here only after its
 * transaction has committed: a write that fails leaves the database and this store as they
 * were, together.
 */
export interface PublishedGroups {
  /** Where the group's statistics are (-1: not published). */
  find: (key: string) => number;
  /** Field `field` (0: n, then the quantiles) of the figure at catalogue position `metric`. */
  stat: (slot: number, metric: number, field: number) => number;
  includesSynthetic: (slot: number) => boolean;
  /** Published groups held. */
  size: () => number;
}

export interface PublishedStore extends PublishedGroups {
  /**
   * Checks a release's bytes as a stored group is checked (stored-stats.ts; throws `bad
   * peer_group stats`) and returns what makes it the published state, to be called once the
   * database has committed it. `withdrawn`: the groups no longer published, or 'all' (a
   * rebuild: only `released` is published afterwards).
   */
  stage: (withdrawn: Iterable<string> | 'all', released: readonly ReleasedGroup[]) => () => void;
}

/** Slots per block (1.8 MB): blocks are added as needed and never copied. */
export const SLOTS_PER_BLOCK = 512;

export function createPublishedStore(): PublishedStore {
  const blocks: Float64Array[] = [];
  const synthetic: Uint8Array[] = [];
  const slots = new Map<string, number>();
  /** Slots of withdrawn groups, taken before new ones. */
  const free: number[] = [];
  let used = 0;

  const newSlot = (): number => {
    const reused = free.pop();
    if (reused !== undefined) return reused;
    const slot = used;
    used += 1;
    if (Math.floor(slot / SLOTS_PER_BLOCK) === blocks.length) {
      blocks.push(new Float64Array(SLOTS_PER_BLOCK * GROUP_STATS));
      synthetic.push(new Uint8Array(SLOTS_PER_BLOCK));
    }
    return slot;
  };

  /** Copies checked bytes into the group's slot. */
  const hold = (group: ReleasedGroup) => {
    const slot = slots.get(group.key) ?? newSlot();
    const block = blocks[Math.floor(slot / SLOTS_PER_BLOCK)]!;
    const within = slot % SLOTS_PER_BLOCK;
    new Uint8Array(block.buffer, within * STORED_STATS_BYTES, STORED_STATS_BYTES).set(group.stats);
    synthetic[Math.floor(slot / SLOTS_PER_BLOCK)]![within] = group.includesSynthetic ? 1 : 0;
    slots.set(group.key, slot);
  };

  const withdraw = (key: string) => {
    const slot = slots.get(key);
    if (slot === undefined) return;
    slots.delete(key);
    free.push(slot);
  };

  const clear = () => {
    slots.clear();
    free.length = 0;
    used = 0;
  };

  return {
    find: (key) => slots.get(key) ?? -1,
    stat: (slot, metric, field) =>
      blocks[Math.floor(slot / SLOTS_PER_BLOCK)]![
        (slot % SLOTS_PER_BLOCK) * GROUP_STATS + metric * STAT_FIELDS + field
      ]!,
    includesSynthetic: (slot) =>
      synthetic[Math.floor(slot / SLOTS_PER_BLOCK)]![slot % SLOTS_PER_BLOCK] === 1,
    stage: (withdrawn, released) => {
      const scratch = new Float64Array(GROUP_STATS);
      for (const group of released) readStoredStats(group.stats, scratch, 0);
      return () => {
        if (withdrawn === 'all') clear();
        else for (const key of withdrawn) withdraw(key);
        for (const group of released) hold(group);
        if (withdrawn === 'all') {
          // Blocks beyond what the new release fills are let go.
          const keep = Math.ceil(used / SLOTS_PER_BLOCK);
          blocks.length = keep;
          synthetic.length = keep;
        }
      };
    },
    size: () => slots.size,
  };
}
