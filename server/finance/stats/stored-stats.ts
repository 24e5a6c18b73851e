import { PERCENTILES } from '../../../domain/disclosure';
import { METRIC_IDS, type MetricId } from '../../../domain/ratios';
import { encodeVector, METRIC_COUNT } from './entity-metrics';

/**
 * `peer_group.stats`, the one encoding of a group's published statistics (written by
 * release.ts, read by query.ts): per catalogue figure in `METRIC_IDS` order, n and the five
 * quantiles (p10 … p90) as little-endian float64, NaN where the figure is not published (all
 * six) or a quantile is withheld. Like `entity_metric.metric_values`, a catalogue change
 * changes the length, and the statistics are rebuilt at every start anyway.
 *
 * Binary rather than JSON (issue #6): after a 1 000-upload refresh at 200 000 entities the
 * JSON text of 17 000 groups took 0.4 s to make and its `json_valid` check 0.2 s to store,
 * and every published group the query had not kept cost a JSON.parse of 3 kB. Now the writer
 * hands over its own buffer and the reader copies bytes.
 */

/** Numbers per figure: n and the quantiles in `PERCENTILES` order. */
export const STAT_FIELDS = 1 + PERCENTILES.length;
/** Numbers one group holds: every catalogue figure's fields. */
export const GROUP_STATS = METRIC_COUNT * STAT_FIELDS;
/** Bytes of one stored `peer_group.stats`. */
export const STORED_STATS_BYTES = GROUP_STATS * 8;

/** n and the five quantiles of one figure; null where withheld. */
export type StatTuple = [
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
];

if (new Uint8Array(new Float64Array([1]).buffer)[7] !== 0x3f) {
  // Typed arrays are written as they are in memory: this encoding assumes little-endian.
  throw new Error('peer_group.stats assumes a little-endian platform');
}

/** The stored bytes of the group whose numbers start at `at` in `numbers` (no copy). */
export const storedStats = (numbers: Float64Array, at: number): Buffer =>
  encodeVector(numbers.subarray(at, at + GROUP_STATS));

/** A group's numbers, all NaN: nothing published yet. */
export const emptyGroupStats = (groups = 1): Float64Array =>
  new Float64Array(groups * GROUP_STATS).fill(Number.NaN);

/**
 * Room for releases (release.ts), kept from one refresh to the next. Memory never touched
 * before is slow here: the first refresh after a start at 200 000 entities spent 0.14–0.56 s
 * filling 60–74 MB of new statistics with NaN; the same bytes reused take milliseconds.
 *
 * `take` hands out NaN-filled room for some groups' statistics: from a kept buffer with room,
 * else newly made. `reuse`, once nothing taken is read any more, frees the kept buffers for
 * the next round of takes and decides what to keep, for a budget of a third of the largest
 * round so far: the smallest buffer that alone covers it, or else the largest ones that fit
 * in it. A rebuild at start is such a round (one buffer per fiscal year), so the first
 * refresh finds its room already touched: at 200 000 entities (18 fiscal years, room for
 * 79 462 groups) 91 MB are kept, where a 1 000-upload refresh takes 60 MB. What is kept stays
 * for the life of the process.
 */
export interface StatsSpace {
  take: (groups: number) => Float64Array;
  reuse: () => void;
}

export function statsSpace(): StatsSpace {
  let kept: { buffer: Float64Array; used: number }[] = [];
  let made: Float64Array[] = [];
  let round = 0;
  let largestRound = 0;
  return {
    take: (groups) => {
      const length = groups * GROUP_STATS;
      round += length;
      const room = kept.find(({ buffer, used }) => used + length <= buffer.length);
      if (room === undefined) {
        const buffer = emptyGroupStats(groups);
        made.push(buffer);
        return buffer;
      }
      const view = room.buffer.subarray(room.used, room.used + length).fill(Number.NaN);
      room.used += length;
      return view;
    },
    reuse: () => {
      largestRound = Math.max(largestRound, round);
      const budget = largestRound / 3;
      const buffers = [...kept.map(({ buffer }) => buffer), ...made].sort(
        (a, b) => b.length - a.length,
      );
      const covering = buffers.findLast((buffer) => buffer.length >= budget);
      let total = 0;
      kept = [];
      for (const buffer of covering ? [covering] : buffers) {
        if (covering === undefined && total + buffer.length > budget) continue;
        total += buffer.length;
        kept.push({ buffer, used: 0 });
      }
      made = [];
      round = 0;
    },
  };
}

const isCount = (x: number) => Number.isInteger(x) && x > 0;

/**
 * Copies a stored `peer_group.stats` into `target` from `at` and checks it: a blob of another
 * length, an n that is not a positive whole number, a quantile that is infinite or without an
 * n, all throw `bad peer_group stats`.
 */
export function readStoredStats(blob: unknown, target: Float64Array, at: number): void {
  if (!Buffer.isBuffer(blob) || blob.byteLength !== STORED_STATS_BYTES) {
    throw new Error('bad peer_group stats');
  }
  new Uint8Array(target.buffer, target.byteOffset + at * 8, STORED_STATS_BYTES).set(blob);
  for (let figure = at; figure < at + GROUP_STATS; figure += STAT_FIELDS) {
    const n = target[figure]!;
    const published = isCount(n);
    if (!published && !Number.isNaN(n)) throw new Error('bad peer_group stats');
    for (let field = 1; field < STAT_FIELDS; field += 1) {
      const quantile = target[figure + field]!;
      if (Number.isNaN(quantile)) continue;
      if (!published || !Number.isFinite(quantile)) throw new Error('bad peer_group stats');
    }
  }
}

/** The stored bytes of statistics given per figure (for tests and tools). */
export function encodeStats(stats: Partial<Record<MetricId, StatTuple>>): Buffer {
  const numbers = emptyGroupStats();
  METRIC_IDS.forEach((id, metric) => {
    stats[id]?.forEach((x, field) => {
      numbers[metric * STAT_FIELDS + field] = x ?? Number.NaN;
    });
  });
  return storedStats(numbers, 0);
}

/** The published figures of stored statistics, each with its tuple (for tests and tools). */
export function decodeStats(blob: unknown): Partial<Record<MetricId, StatTuple>> {
  const numbers = emptyGroupStats();
  readStoredStats(blob, numbers, 0);
  const stats: Partial<Record<MetricId, StatTuple>> = {};
  METRIC_IDS.forEach((id, metric) => {
    const at = metric * STAT_FIELDS;
    if (Number.isNaN(numbers[at])) return;
    const field = (i: number) => (Number.isNaN(numbers[at + i]) ? null : numbers[at + i]!);
    stats[id] = [numbers[at]!, field(1), field(2), field(3), field(4), field(5)];
  });
  return stats;
}
