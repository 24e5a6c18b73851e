import { firstAbove, firstNotBelow } from '../../../domain/disclosure';
import { SNI_LEVELS } from '../../../domain/sni';
import {
  CANDIDATES_PER_LEVEL,
  cellKey,
  cellSlots,
  groupKey,
  SLOTS_PER_CELL,
  type Cell,
  type PeerGroup,
} from './groups';
import { buildOrder, type OrderWorkspace } from './order';
import { insertInOrder, sortRun } from './select';
import {
  createWindows,
  DEFAULT_WINDOW_FROM,
  ensurePairs,
  moveValue,
  type QuantileWindows,
} from './windows';

/**
 * The in-memory index of one fiscal year's figures, built at refresh and read by the
 * benchmark query for percentile ranks (requests never scan the store and never compute a
 * quantile).
 *
 * Entity-years are laid out by cell (exact SNI 3-digit, band and county); per metric one
 * Float64Array holds every cell's values as a contiguous run, ascending, absent values (NaN)
 * after the present ones. A peer group is a set of cells, so the number of values below a
 * given one in a group is a sum of binary searches over the group's cells. Memory: 8 bytes per
 * entity-year and metric; per group its cell list and a few counters per metric.
 *
 * Which groups are worth publishing is decided here too: for every cell, metric and level the
 * search of the benchmark query stops at the first candidate group with enough values
 * (`chosen`). A group no search can stop at is never shown to anyone, so it is not published
 * (less to compute, and less for a differencing attacker to combine).
 */
export interface GroupEntry {
  key: string;
  group: PeerGroup;
  /** Cell indices, ascending. */
  cells: number[];
}

export interface YearLayout {
  readonly fiscalYear: number;
  readonly metricCount: number;
  readonly minGroupSize: number;
  /** Cell by index; an index never changes for the life of a layout and its successors. */
  readonly cells: readonly Cell[];
  readonly cellIndex: ReadonlyMap<string, number>;
  /** Start of each cell's run; `offsets[cells.length]` is the number of entity-years. */
  readonly offsets: Int32Array;
  /** Present (non-NaN) values per cell and metric: `present[cell * metricCount + metric]`. */
  readonly present: Int32Array;
  /** Per metric: the values, cell runs one after another, each ascending with NaN last. */
  readonly values: readonly Float64Array[];
  /** Per cell: how many of its entity-years belong to the synthetic demo population. */
  readonly synthetic: Int32Array;
  /** Per cell: its members' net sales (unordered), and from them Σ net sales (signed), */
  /** Σ |net sales| and the two largest |net sales|. */
  readonly sales: readonly (readonly number[])[];
  readonly salesSum: Float64Array;
  readonly salesMagnitude: Float64Array;
  readonly salesLargest: Float64Array;
  readonly salesSecond: Float64Array;
  /** Every group with at least one cell, by id. */
  readonly groups: readonly GroupEntry[];
  readonly groupIndex: ReadonlyMap<string, number>;
  /** Per cell, its 16 candidate groups (level × candidate, see groups.ts): id or -1. */
  readonly cellGroups: Int32Array;
  /** Per group: entity-years; per group and metric: values present. */
  readonly groupSize: Int32Array;
  readonly groupPresent: Int32Array;
  /** Per group and metric: 1 when some cell's search at the group's level stops at it. */
  readonly chosen: Uint8Array;
  /** Per metric: the cells of all present values by ascending value (order.ts). */
  readonly order: readonly Int32Array[];
  /**
   * The quantile windows of the large published pairs (windows.ts): filled by the release,
   * moved along by every change, handed from a layout to its successor.
   */
  readonly windows: QuantileWindows;
}

/** One entity-year as the layout takes it. */
export interface MemberFigures {
  values: Float64Array;
  netSales: number;
  synthetic: boolean;
}

/** Entity-years leaving and joining one cell. */
export interface CellChange {
  cell: Cell;
  removed: readonly MemberFigures[];
  added: readonly MemberFigures[];
}

/** The per-cell part of a layout: what the rows themselves give. */
type CellPart = Pick<
  YearLayout,
  | 'fiscalYear'
  | 'metricCount'
  | 'cells'
  | 'cellIndex'
  | 'offsets'
  | 'present'
  | 'values'
  | 'synthetic'
  | 'sales'
  | 'salesSum'
  | 'salesMagnitude'
  | 'salesLargest'
  | 'salesSecond'
>;

type GroupPart = Pick<YearLayout, 'groups' | 'groupIndex' | 'cellGroups'>;

export function emptyLayout(
  fiscalYear: number,
  metricCount: number,
  minGroupSize: number,
  windowFrom: number = DEFAULT_WINDOW_FROM,
): YearLayout {
  return {
    windows: createWindows(windowFrom),
    fiscalYear,
    metricCount,
    minGroupSize,
    cells: [],
    cellIndex: new Map(),
    offsets: new Int32Array(1),
    present: new Int32Array(0),
    values: Array.from({ length: metricCount }, () => new Float64Array(0)),
    synthetic: new Int32Array(0),
    sales: [],
    salesSum: new Float64Array(0),
    salesMagnitude: new Float64Array(0),
    salesLargest: new Float64Array(0),
    salesSecond: new Float64Array(0),
    groups: [],
    groupIndex: new Map(),
    cellGroups: new Int32Array(0),
    groupSize: new Int32Array(0),
    groupPresent: new Int32Array(0),
    chosen: new Uint8Array(0),
    order: Array.from({ length: metricCount }, () => new Int32Array(0)),
  };
}

/**
 * Adds the groups of cells `from…` to the group index: new groups are appended to
 * `previous.groups` and `previous.groupIndex` (changed in place), a grown group gets the new
 * cells at the end of its list; the cell-to-group table is copied when cells were added.
 */
function indexGroups(
  cells: readonly Cell[],
  fiscalYear: number,
  previous: GroupPart,
  from: number,
): GroupPart {
  const groups = previous.groups as GroupEntry[];
  const groupIndex = previous.groupIndex as Map<string, number>;
  if (from === cells.length) return { groups, groupIndex, cellGroups: previous.cellGroups };
  const cellGroups = grow(previous.cellGroups, cells.length * SLOTS_PER_CELL, Int32Array);
  for (let cell = from; cell < cells.length; cell += 1) {
    cellSlots(cells[cell]!, fiscalYear).forEach((group, slot) => {
      if (group === null) {
        cellGroups[cell * SLOTS_PER_CELL + slot] = -1;
        return;
      }
      const key = groupKey(group);
      let id = groupIndex.get(key);
      if (id === undefined) {
        id = groups.length;
        groups.push({ key, group, cells: [cell] });
        groupIndex.set(key, id);
      } else {
        groups[id]!.cells.push(cell);
      }
      cellGroups[cell * SLOTS_PER_CELL + slot] = id;
    });
  }
  return { groups, groupIndex, cellGroups };
}

/** Adds (sign +1) or removes (-1) one cell's counts to every group it belongs to. */
function addCellToGroups(
  counts: { groupSize: Int32Array; groupPresent: Int32Array },
  cellGroups: Int32Array,
  cell: number,
  size: number,
  present: Int32Array,
  presentOffset: number,
  metricCount: number,
  sign: 1 | -1,
): void {
  for (let slot = 0; slot < SLOTS_PER_CELL; slot += 1) {
    const id = cellGroups[cell * SLOTS_PER_CELL + slot]!;
    if (id < 0) continue;
    counts.groupSize[id] = counts.groupSize[id]! + sign * size;
    const base = id * metricCount;
    for (let metric = 0; metric < metricCount; metric += 1) {
      counts.groupPresent[base + metric] =
        counts.groupPresent[base + metric]! + sign * present[presentOffset + metric]!;
    }
  }
}

const LEVELS = SLOTS_PER_CELL / CANDIDATES_PER_LEVEL;

/**
 * For every cell, metric and level: the first candidate with at least `minGroupSize` values
 * is where the benchmark search stops; those (group, metric) pairs are marked. Made once per
 * fresh layout; a change updates the marks (see {@link rechoose}).
 */
function chooseGroups(
  offsets: Int32Array,
  groupCount: number,
  cellGroups: Int32Array,
  groupPresent: Int32Array,
  metricCount: number,
  minGroupSize: number,
): Uint8Array {
  const chosen = withRoom(Uint8Array, groupCount * metricCount);
  const present = (id: number, metric: number) => groupPresent[id * metricCount + metric]!;
  for (let cell = 0; cell < offsets.length - 1; cell += 1) {
    // An emptied cell keeps its index but has nobody whose search could stop anywhere.
    if (offsets[cell + 1] === offsets[cell]) continue;
    for (let level = 0; level < LEVELS; level += 1) {
      for (let metric = 0; metric < metricCount; metric += 1) {
        const id = stopOf(cellGroups, cell, level, metric, present, minGroupSize);
        if (id >= 0) chosen[id * metricCount + metric] = 1;
      }
    }
  }
  return chosen;
}

/** Where a cell's search at one level stops for a metric: a group id, or -1. */
function stopOf(
  cellGroups: Int32Array,
  cell: number,
  level: number,
  metric: number,
  presentOf: (id: number, metric: number) => number,
  minGroupSize: number,
): number {
  const first = cell * SLOTS_PER_CELL + level * CANDIDATES_PER_LEVEL;
  for (let slot = first; slot < first + CANDIDATES_PER_LEVEL; slot += 1) {
    const id = cellGroups[slot]!;
    if (id >= 0 && presentOf(id, metric) >= minGroupSize) return id;
  }
  return -1;
}

/** The level a group is a candidate at: its place in the slots of every cell that lists it. */
const levelOf = (entry: GroupEntry): number => SNI_LEVELS.indexOf(entry.group.level);

/**
 * Updates `chosen` (in place) after a change, and returns the groups whose marks changed.
 * A search's stop depends only on whether its cell has members and on which of its
 * candidates have at least the minimum of values, so it can move only for the searches of a
 * cell that was emptied or filled, and for those of the cells of a group whose count crossed
 * the minimum (for that metric, at that group's level). Each such search is redone with the
 * counts before and after; a pair some search left stays marked only while another still
 * stops at it. The same marks as {@link chooseGroups} from scratch, for the cost of what
 * moved rather than of every cell (the full pass took 0.3 s of a refresh at 200 000
 * entities).
 */
function rechoose(
  chosen: Uint8Array,
  change: {
    groups: readonly GroupEntry[];
    cellGroups: Int32Array;
    groupPresent: Int32Array;
    metricCount: number;
    minGroupSize: number;
    /**
     * The counts of the changed cells' groups before the change: group `id`'s are at
     * `presentBefore[beforeAt.get(id) * metricCount + metric]`; the other groups' did not change.
     */
    presentBefore: Int32Array;
    beforeAt: ReadonlyMap<number, number>;
    hadMembers: (cell: number) => boolean;
    hasMembers: (cell: number) => boolean;
    changedCells: Iterable<number>;
  },
): Set<number> {
  const { groups, cellGroups, groupPresent, metricCount, minGroupSize } = change;
  const { presentBefore, beforeAt, hadMembers, hasMembers } = change;
  const presentThen = (id: number, metric: number) => {
    const at = beforeAt.get(id);
    return at === undefined
      ? groupPresent[id * metricCount + metric]!
      : presentBefore[at * metricCount + metric]!;
  };
  const presentNow = (id: number, metric: number) => groupPresent[id * metricCount + metric]!;
  const rechosen = new Set<number>();
  const left = new Set<number>();
  // Redoing a search twice changes nothing more, so searches are not de-duplicated.
  const redo = (cell: number, level: number, metric: number) => {
    const stop = (present: typeof presentNow) =>
      stopOf(cellGroups, cell, level, metric, present, minGroupSize);
    const was = hadMembers(cell) ? stop(presentThen) : -1;
    const now = hasMembers(cell) ? stop(presentNow) : -1;
    if (was === now) return;
    if (was >= 0) left.add(was * metricCount + metric);
    if (now >= 0 && chosen[now * metricCount + metric] === 0) {
      chosen[now * metricCount + metric] = 1;
      rechosen.add(now);
    }
  };
  for (const cell of change.changedCells) {
    if (hadMembers(cell) === hasMembers(cell)) continue;
    for (let level = 0; level < LEVELS; level += 1) {
      for (let metric = 0; metric < metricCount; metric += 1) redo(cell, level, metric);
    }
  }
  for (const [id] of beforeAt) {
    let level = -1;
    for (let metric = 0; metric < metricCount; metric += 1) {
      const crossed =
        presentThen(id, metric) >= minGroupSize !== presentNow(id, metric) >= minGroupSize;
      if (!crossed) continue;
      if (level < 0) level = levelOf(groups[id]!);
      for (const cell of groups[id]!.cells) redo(cell, level, metric);
    }
  }
  for (const pair of left) {
    const id = Math.floor(pair / metricCount);
    const metric = pair % metricCount;
    const entry = groups[id]!;
    const level = levelOf(entry);
    const kept = entry.cells.some(
      (cell) =>
        hasMembers(cell) &&
        stopOf(cellGroups, cell, level, metric, presentNow, minGroupSize) === id,
    );
    if (!kept && chosen[pair] === 1) {
      chosen[pair] = 0;
      rechosen.add(id);
    }
  }
  return rechosen;
}

/** Completes the per-cell part of a fresh layout with its groups, counts and choices. */
export function layoutFromCells(
  part: CellPart,
  minGroupSize: number,
  windowFrom: number = DEFAULT_WINDOW_FROM,
): YearLayout {
  const grouped = indexGroups(
    part.cells,
    part.fiscalYear,
    { groups: [], groupIndex: new Map(), cellGroups: new Int32Array(0) },
    0,
  );
  const counts = {
    groupSize: withRoom(Int32Array, grouped.groups.length),
    groupPresent: withRoom(Int32Array, grouped.groups.length * part.metricCount),
  };
  for (let cell = 0; cell < part.cells.length; cell += 1) {
    const size = part.offsets[cell + 1]! - part.offsets[cell]!;
    addCellToGroups(
      counts,
      grouped.cellGroups,
      cell,
      size,
      part.present,
      cell * part.metricCount,
      part.metricCount,
      1,
    );
  }
  return withLazyOrder({
    ...part,
    ...grouped,
    ...counts,
    minGroupSize,
    windows: createWindows(windowFrom),
    chosen: chooseGroups(
      part.offsets,
      grouped.groups.length,
      grouped.cellGroups,
      counts.groupPresent,
      part.metricCount,
      minGroupSize,
    ),
  });
}

/**
 * The layout with its value order (order.ts) as a property computed on first read: only the
 * one-pass quantile search and the tests read it, and keeping it up to date at every refresh
 * cost a pass over every value of the year per metric.
 */
function withLazyOrder(layout: Omit<YearLayout, 'order'>): YearLayout {
  let order: Int32Array[] | undefined;
  return Object.defineProperty(layout, 'order', {
    enumerable: false,
    get: () => {
      order ??= layout.values.map((_, metric) => orderOfMetric(layout, metric));
      return order;
    },
  }) as YearLayout;
}

/** One metric's value order from scratch (not kept; in `workspace` when given). */
export const orderOfMetric = (
  layout: Pick<YearLayout, 'values' | 'offsets' | 'present' | 'metricCount' | 'cells'>,
  metric: number,
  workspace?: OrderWorkspace,
): Int32Array =>
  buildOrder(
    {
      values: layout.values[metric]!,
      offsets: layout.offsets,
      present: layout.present,
      metricCount: layout.metricCount,
    },
    metric,
    layout.cells.length,
    workspace,
  );

/** A layout after a change, and the groups whose `chosen` marks the change altered. */
export interface ChangedLayout {
  layout: YearLayout;
  rechosen: ReadonlySet<number>;
}

/**
 * The layout after some entity-years left cells and others joined (cells not mentioned keep
 * theirs). New cells and groups are appended; an emptied cell keeps its index with no members,
 * so group cell lists stay valid. A removed entity-year must be one the layout holds (same
 * values).
 *
 * The given layout is consumed: its arrays are reused and changed in place wherever the sizes
 * allow (only the returned layout may be read afterwards, except the sorted copies of
 * ranks.ts, which stay as they were). Cost: per metric, the changed cells' runs are redone and
 * the runs between them moved within the array (it has spare room at its end); the choices
 * are redone only for the searches the change can move (see {@link rechoose}).
 */
export function withChanges(layout: YearLayout, changes: readonly CellChange[]): ChangedLayout {
  const metricCount = layout.metricCount;
  const oldOffsets = layout.offsets;
  const oldCellCount = oldOffsets.length - 1;
  const cells = layout.cells as Cell[];
  const cellIndex = layout.cellIndex as Map<string, number>;
  const changed = new Map<number, { removed: MemberFigures[]; added: MemberFigures[] }>();
  for (const { cell, removed, added } of changes) {
    const key = cellKey(cell);
    let index = cellIndex.get(key);
    if (index === undefined) {
      index = cells.length;
      cells.push(cell);
      cellIndex.set(key, index);
    }
    const entry = changed.get(index) ?? { removed: [], added: [] };
    entry.removed.push(...removed);
    entry.added.push(...added);
    changed.set(index, entry);
  }
  const grouped = indexGroups(cells, layout.fiscalYear, layout, oldCellCount);
  const sizeBefore = (cell: number) =>
    cell < oldCellCount ? oldOffsets[cell + 1]! - oldOffsets[cell]! : 0;

  const cellCount = cells.length;
  const offsets = new Int32Array(cellCount + 1);
  for (let cell = 0; cell < cellCount; cell += 1) {
    const change = changed.get(cell);
    const size = sizeBefore(cell) + (change ? change.added.length - change.removed.length : 0);
    if (size < 0) throw new Error('a cell lost more entity-years than it had');
    offsets[cell + 1] = offsets[cell]! + size;
  }
  const total = offsets[cellCount]!;

  const present = grow(layout.present, cellCount * metricCount, Int32Array);
  const counts = {
    groupSize: grow(layout.groupSize, grouped.groups.length, Int32Array),
    groupPresent: grow(layout.groupPresent, grouped.groups.length * metricCount, Int32Array),
  };
  // The counts of the changed cells' groups as they were, for redoing the choices.
  const beforeAt = new Map<number, number>();
  for (const cell of changed.keys()) {
    for (let slot = 0; slot < SLOTS_PER_CELL; slot += 1) {
      const id = grouped.cellGroups[cell * SLOTS_PER_CELL + slot]!;
      if (id >= 0 && !beforeAt.has(id)) beforeAt.set(id, beforeAt.size);
    }
  }
  const presentBefore = new Int32Array(beforeAt.size * metricCount);
  for (const [id, at] of beforeAt) {
    presentBefore.set(
      counts.groupPresent.subarray(id * metricCount, (id + 1) * metricCount),
      at * metricCount,
    );
  }
  for (const cell of changed.keys()) {
    if (cell >= oldCellCount) continue;
    const at = cell * metricCount;
    addCellToGroups(
      counts,
      grouped.cellGroups,
      cell,
      sizeBefore(cell),
      present,
      at,
      metricCount,
      -1,
    );
  }

  // Spans of consecutive cells that keep their members move in one go.
  const spans: Array<{ from: number; to: number }> = [];
  for (let cell = 0; cell < oldCellCount; cell += 1) {
    if (changed.has(cell)) continue;
    const last = spans[spans.length - 1];
    if (last && last.to === cell) last.to = cell + 1;
    else spans.push({ from: cell, to: cell + 1 });
  }
  const changedCells = [...changed.keys()];
  let newRunsSize = 0;
  for (const cell of changedCells) newRunsSize += offsets[cell + 1]! - offsets[cell]!;
  const newRuns = new Float64Array(newRunsSize);
  let scratch = new Float64Array(64);
  const values = layout.values.map((old, metric) => {
    // The changed cells' new runs first (the moves below may overwrite their old ones): the
    // old run (ascending) without the removed values, then the added ones put in place.
    let at = 0;
    for (const cell of changedCells) {
      const change = changed.get(cell)!;
      const oldSize = sizeBefore(cell);
      if (scratch.length < oldSize + change.added.length) {
        scratch = new Float64Array(2 * (oldSize + change.added.length));
      }
      for (let i = 0; i < oldSize; i += 1) scratch[i] = old[oldOffsets[cell]! + i]!;
      let end = oldSize;
      for (const member of change.removed) {
        end = removeFromRun(scratch, 0, end, member.values[metric]!);
      }
      const sortedUpTo = end;
      for (const member of change.added) scratch[end++] = member.values[metric]!;
      completeRun(scratch, 0, sortedUpTo, end);
      for (let i = 0; i < end; i += 1) newRuns[at + i] = scratch[i]!;
      at += end;
      let count = end;
      while (count > 0 && Number.isNaN(scratch[count - 1]!)) count -= 1;
      present[cell * metricCount + metric] = count;
    }
    const next = roomFor(old, total, spans, oldOffsets, offsets);
    at = 0;
    for (const cell of changedCells) {
      const size = offsets[cell + 1]! - offsets[cell]!;
      next.set(newRuns.subarray(at, at + size), offsets[cell]!);
      at += size;
    }
    return next;
  });

  const synthetic = grow(layout.synthetic, cellCount, Int32Array);
  const sales = layout.sales as number[][];
  const salesSum = grow(layout.salesSum, cellCount, Float64Array);
  const salesMagnitude = grow(layout.salesMagnitude, cellCount, Float64Array);
  const salesLargest = grow(layout.salesLargest, cellCount, Float64Array);
  const salesSecond = grow(layout.salesSecond, cellCount, Float64Array);
  for (const [cell, change] of changed) {
    const cellSales = cell < oldCellCount ? [...sales[cell]!] : [];
    for (const member of change.removed) removeOne(cellSales, member.netSales);
    cellSales.push(...change.added.map((member) => member.netSales));
    sales[cell] = cellSales;
    const summary = salesOf(cellSales);
    salesSum[cell] = summary.sum;
    salesMagnitude[cell] = summary.magnitude;
    salesLargest[cell] = summary.largest;
    salesSecond[cell] = summary.second;
    synthetic[cell] =
      synthetic[cell]! +
      change.added.filter((m) => m.synthetic).length -
      change.removed.filter((m) => m.synthetic).length;
    const size = offsets[cell + 1]! - offsets[cell]!;
    const at = cell * metricCount;
    addCellToGroups(counts, grouped.cellGroups, cell, size, present, at, metricCount, 1);
  }

  const windows = layout.windows;
  ensurePairs(windows, grouped.groups.length * metricCount);
  for (const [cell, change] of changed) {
    for (let slot = 0; slot < SLOTS_PER_CELL; slot += 1) {
      const id = grouped.cellGroups[cell * SLOTS_PER_CELL + slot]!;
      if (id < 0) continue;
      for (let metric = 0; metric < metricCount; metric += 1) {
        const pair = id * metricCount + metric;
        if (windows.slotOf[pair]! < 0) continue;
        const n = counts.groupPresent[pair]!;
        for (const member of change.removed) {
          moveValue(windows, pair, member.values[metric]!, -1, n);
        }
        for (const member of change.added) moveValue(windows, pair, member.values[metric]!, 1, n);
      }
    }
  }

  const chosen = grow(layout.chosen, grouped.groups.length * metricCount, Uint8Array);
  const rechosen = rechoose(chosen, {
    groups: grouped.groups,
    cellGroups: grouped.cellGroups,
    groupPresent: counts.groupPresent,
    metricCount,
    minGroupSize: layout.minGroupSize,
    presentBefore,
    beforeAt,
    hadMembers: (cell) => sizeBefore(cell) > 0,
    hasMembers: (cell) => offsets[cell + 1]! > offsets[cell]!,
    changedCells,
  });

  const next = withLazyOrder({
    windows,
    fiscalYear: layout.fiscalYear,
    metricCount,
    minGroupSize: layout.minGroupSize,
    cells,
    cellIndex,
    offsets,
    present,
    values,
    synthetic,
    sales,
    salesSum,
    salesMagnitude,
    salesLargest,
    salesSecond,
    ...grouped,
    ...counts,
    chosen,
  });
  return { layout: next, rechosen };
}

/**
 * One metric's values with the unchanged spans at their new offsets: moved within `old`'s
 * buffer when it has room for `total` values, else copied into a new buffer with a quarter to
 * spare. The changed cells' places are left to the caller.
 *
 * In place, a span moving right is moved before any span to its right that moves left could
 * be overwritten: spans moving right go right to left, then spans moving left go left to
 * right. (A span's destination can only overlap the source of a span that moves the same
 * way and was moved already: between a right- and a left-moving span lie cells that shrank
 * by at least the sum of both shifts.)
 */
function roomFor(
  old: Float64Array,
  total: number,
  spans: readonly { from: number; to: number }[],
  oldOffsets: Int32Array,
  offsets: Int32Array,
): Float64Array {
  const capacity = (old.buffer.byteLength - old.byteOffset) / Float64Array.BYTES_PER_ELEMENT;
  if (total > capacity) {
    const next = new Float64Array(Math.ceil(total * 1.25) + 16);
    for (const span of spans) {
      next.set(old.subarray(oldOffsets[span.from]!, oldOffsets[span.to]!), offsets[span.from]!);
    }
    return next.subarray(0, total);
  }
  const next = total === old.length ? old : new Float64Array(old.buffer, old.byteOffset, total);
  const shift = (span: { from: number }) => offsets[span.from]! - oldOffsets[span.from]!;
  // Views of the same buffer: copyWithin on the longer of the two reaches both ranges.
  const whole = total >= old.length ? next : old;
  const moveIn = (span: { from: number; to: number }) =>
    whole.copyWithin(offsets[span.from]!, oldOffsets[span.from]!, oldOffsets[span.to]!);
  for (let i = spans.length - 1; i >= 0; i -= 1) if (shift(spans[i]!) > 0) moveIn(spans[i]!);
  for (const span of spans) if (shift(span) < 0) moveIn(span);
  return next;
}

/** Removes one occurrence of `value` (NaN matches NaN); a value that is not there is a bug. */
function removeOne(values: number[], value: number): void {
  const at = Number.isNaN(value) ? values.findIndex((x) => Number.isNaN(x)) : values.indexOf(value);
  if (at < 0) throw new Error('removed value not in the cell');
  values.splice(at, 1);
}

/**
 * Removes one occurrence of `value` from the ascending run `array[from, to)` (NaN last),
 * keeping it ascending; returns the run's new end. A value that is not there is a bug.
 */
function removeFromRun(array: Float64Array, from: number, to: number, value: number): number {
  let at = from;
  if (Number.isNaN(value)) {
    at = to - 1;
    if (at < from || !Number.isNaN(array[at]!)) at = to;
  } else {
    while (at < to && array[at] !== value) at += 1;
  }
  if (at >= to) throw new Error('removed value not in the cell');
  array.copyWithin(at, at + 1, to);
  return to - 1;
}

/**
 * Makes `array[from, to)` ascending (NaN last) when `[from, sortedUpTo)` already is: the few
 * appended values are inserted one by one; many are sorted with the rest.
 */
function completeRun(array: Float64Array, from: number, sortedUpTo: number, to: number): void {
  const appended = to - sortedUpTo;
  if (appended === 0) return;
  if (appended > 8 && appended * 4 > to - from) {
    array.subarray(from, to).sort();
    return;
  }
  insertInOrder(array, from, sortedUpTo, to);
}

function salesOf(netSales: readonly number[]) {
  let sum = 0;
  let magnitude = 0;
  let largest = 0;
  let second = 0;
  for (const amount of netSales) {
    const size = Math.abs(amount);
    sum += amount;
    magnitude += size;
    if (size > largest) {
      second = largest;
      largest = size;
    } else if (size > second) {
      second = size;
    }
  }
  return { sum, magnitude, largest, second };
}

interface TypedArrayType<T> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A zeroed array of `length` with a quarter to spare behind it (see {@link grow}). */
function withRoom<T extends Int32Array | Float64Array | Uint8Array>(
  make: TypedArrayType<T>,
  length: number,
): T {
  return new make(Math.ceil(length * 1.25) + 16).subarray(0, length) as T;
}

/** `values` in an array with room to grow. */
function roomyCopy<T extends Int32Array | Float64Array>(
  make: TypedArrayType<T>,
  values: ArrayLike<number>,
): T {
  const array = withRoom(make, values.length);
  array.set(values);
  return array;
}

/**
 * `old` lengthened to `length` (new places 0): a longer view of the same buffer while it has
 * room, else a copy with a quarter to spare. Like withChanges, it consumes `old`.
 */
function grow<T extends Int32Array | Float64Array | Uint8Array>(
  old: T,
  length: number,
  make: TypedArrayType<T>,
): T {
  if (length === old.length) return old;
  const room = (old.buffer.byteLength - old.byteOffset) / make.BYTES_PER_ELEMENT;
  if (length <= room && length > old.length) return new make(old.buffer, old.byteOffset, length);
  const next = new make(Math.ceil(length * 1.25) + 16);
  next.set(old);
  return next.subarray(0, length) as T;
}

/**
 * The group's values of one metric below and equal to `value`, and how many it has: all a
 * percentile rank needs, and nothing else leaves this function.
 */
export function countInGroup(
  layout: YearLayout,
  cells: readonly number[],
  metric: number,
  value: number,
): { below: number; equal: number; n: number } {
  const values = layout.values[metric]!;
  let below = 0;
  let equal = 0;
  let n = 0;
  for (const cell of cells) {
    const start = layout.offsets[cell]!;
    const count = layout.present[cell * layout.metricCount + metric]!;
    if (count === 0) continue;
    n += count;
    const notBelow = firstNotBelow(values, value, start, start + count);
    below += notBelow - start;
    equal += firstAbove(values, value, notBelow, start + count) - notBelow;
  }
  return { below, equal, n };
}

/**
 * The year's present values of one metric: those of the group of all industries, sizes and
 * counties (every cell's last candidate), which every cell is in.
 */
export function presentInYear(layout: YearLayout, metric: number): number {
  if (layout.cells.length === 0) return 0;
  const everyone = layout.cellGroups[SLOTS_PER_CELL - 1]!;
  return layout.groupPresent[everyone * layout.metricCount + metric]!;
}

/** Copies the group's present values of one metric into `scratch`; returns how many. */
export function gatherGroup(
  layout: YearLayout,
  cells: readonly number[],
  metric: number,
  scratch: Float64Array,
): number {
  const values = layout.values[metric]!;
  let n = 0;
  for (const cell of cells) {
    const start = layout.offsets[cell]!;
    const count = layout.present[cell * layout.metricCount + metric]!;
    // A plain loop: runs are short, and a subarray per cell would allocate.
    for (let i = 0; i < count; i += 1) scratch[n + i] = values[start + i]!;
    n += count;
  }
  return n;
}

/** Reads a stored vector into `target` from `offset`; a blob of another length reads as absent. */
export function readVector(blob: Buffer, target: Float64Array, offset: number, count: number) {
  if (blob.byteLength !== count * 8) {
    target.fill(Number.NaN, offset, offset + count);
    return;
  }
  for (let i = 0; i < count; i += 1) target[offset + i] = blob.readDoubleLE(i * 8);
}

export interface LayoutBuilder {
  /** Adds one entity-year; rows must arrive grouped by cell. */
  add: (cell: Cell, synthetic: boolean, netSales: number, blob: Buffer) => void;
  finish: () => YearLayout;
}

/**
 * Builds one year's layout from rows that arrive grouped by cell, writing straight into
 * preallocated arrays (no object per entity-year), then sorting each cell's runs.
 */
export function layoutBuilder(
  fiscalYear: number,
  metricCount: number,
  capacity: number,
  minGroupSize: number,
  windowFrom: number = DEFAULT_WINDOW_FROM,
): LayoutBuilder {
  // Spare room for the refreshes to come (withChanges grows the runs in place).
  const room = Math.ceil(capacity * 1.05) + 1_024;
  const values = Array.from({ length: metricCount }, () => new Float64Array(room));
  const row = new Float64Array(metricCount);
  const cells: Cell[] = [];
  const offsets: number[] = [0];
  const synthetic: number[] = [];
  const sales: number[][] = [];
  const members: MemberFigures[] = [];
  let currentKey: string | undefined;
  let position = 0;

  const closeCell = () => {
    if (currentKey === undefined) return;
    const from = offsets[offsets.length - 1]!;
    for (const array of values) sortRun(array, from, position);
    offsets.push(position);
    sales.push(members.map((member) => member.netSales));
    synthetic.push(members.filter((member) => member.synthetic).length);
    members.length = 0;
  };

  return {
    add(cell, isSynthetic, netSales, blob) {
      const key = cellKey(cell);
      if (key !== currentKey) {
        closeCell();
        currentKey = key;
        cells.push(cell);
      }
      readVector(blob, row, 0, metricCount);
      for (let metric = 0; metric < metricCount; metric += 1) {
        values[metric]![position] = row[metric]!;
      }
      position += 1;
      members.push({ values: row, netSales, synthetic: isSynthetic });
    },
    finish() {
      closeCell();
      const cellCount = cells.length;
      const offsetArray = Int32Array.from(offsets);
      const present = withRoom(Int32Array, cellCount * metricCount);
      for (let metric = 0; metric < metricCount; metric += 1) {
        const array = values[metric]!;
        for (let cell = 0; cell < cellCount; cell += 1) {
          let count = 0;
          for (let i = offsetArray[cell]!; i < offsetArray[cell + 1]!; i += 1) {
            if (!Number.isNaN(array[i]!)) count += 1;
          }
          present[cell * metricCount + metric] = count;
        }
      }
      const salesSummaries = {
        salesSum: withRoom(Float64Array, cellCount),
        salesMagnitude: withRoom(Float64Array, cellCount),
        salesLargest: withRoom(Float64Array, cellCount),
        salesSecond: withRoom(Float64Array, cellCount),
      };
      sales.forEach((cellSales, cell) => {
        const summary = salesOf(cellSales);
        salesSummaries.salesSum[cell] = summary.sum;
        salesSummaries.salesMagnitude[cell] = summary.magnitude;
        salesSummaries.salesLargest[cell] = summary.largest;
        salesSummaries.salesSecond[cell] = summary.second;
      });
      return layoutFromCells(
        {
          fiscalYear,
          metricCount,
          cells,
          cellIndex: new Map(cells.map((cell, index) => [cellKey(cell), index])),
          offsets: offsetArray,
          present,
          values: values.map((array) => array.subarray(0, position)),
          synthetic: roomyCopy(Int32Array, synthetic),
          sales,
          ...salesSummaries,
        },
        minGroupSize,
        windowFrom,
      );
    },
  };
}
