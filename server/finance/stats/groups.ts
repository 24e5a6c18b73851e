import type { BenchmarkGroup, BenchmarkLevel } from '../../../domain/benchmark';
import type { EmployeeBand } from '../../../domain/profile';
import { SNI_LEVELS, sniLevelCode } from '../../../domain/sni';

/**
 * Peer groups (DESIGN §7): fixed hierarchies only. A group is an industry code at one level of
 * SNI 3-digit → 2-digit → section → all, an employee band or all bands, a county or all
 * counties, and a fiscal year. An entity-year belongs to exactly one group per combination of
 * those choices; its own profile ("cell": 3-digit SNI, band, county, any of them unknown)
 * decides which.
 */

/** The finest partition: an entity-year's coarse profile. Unknown fields are null. */
export interface Cell {
  sni3: string | null;
  employeeBand: EmployeeBand | null;
  county: string | null;
}

export type PeerGroup = BenchmarkGroup;

/**
 * Within one industry level, the order in which the default search tries groups: own band and
 * county, own band in all counties, all bands in own county, then all bands and counties.
 */
const CANDIDATE_SHAPES = [
  { band: true, county: true },
  { band: true, county: false },
  { band: false, county: true },
  { band: false, county: false },
] as const;

export const cellKey = (cell: Cell): string =>
  `${cell.sni3 ?? '*'}|${cell.employeeBand ?? '*'}|${cell.county ?? '*'}`;

/**
 * The stable key of a group, e.g. `sni2=62|band=10-19|county=01|year=2025` (`*` = all); the
 * primary key of the published statistics.
 */
export const groupKey = (group: PeerGroup): string =>
  `${group.level}=${group.sni ?? '*'}|band=${group.employeeBand ?? '*'}|county=${group.county ?? '*'}|year=${group.year}`;

/**
 * The four candidate groups of a cell at one industry level, in the order the default search
 * tries them; null where the candidate needs a field the cell lacks (an entity without a
 * county is never put in a county group). Every level but `all` needs a known 3-digit SNI
 * code.
 */
export function candidateSlots(
  cell: Cell,
  level: BenchmarkLevel,
  year: number,
): (PeerGroup | null)[] {
  const sni = cell.sni3 === null ? null : sniLevelCode(cell.sni3, level);
  return CANDIDATE_SHAPES.map((shape) => {
    if (level !== 'all' && sni === null) return null;
    if (shape.band && cell.employeeBand === null) return null;
    if (shape.county && cell.county === null) return null;
    return {
      level,
      sni,
      employeeBand: shape.band ? cell.employeeBand : null,
      county: shape.county ? cell.county : null,
      year,
    };
  });
}

/** The candidates of a cell at one level that exist, in search order. */
export const candidateGroups = (cell: Cell, level: BenchmarkLevel, year: number): PeerGroup[] =>
  candidateSlots(cell, level, year).filter((group): group is PeerGroup => group !== null);

/** Candidates per level: slot `level index × 4 + candidate index` of {@link cellSlots}. */
export const CANDIDATES_PER_LEVEL = CANDIDATE_SHAPES.length;
export const SLOTS_PER_CELL = SNI_LEVELS.length * CANDIDATES_PER_LEVEL;

/** All 16 candidate slots of a cell, level by level (null where a candidate does not exist). */
export const cellSlots = (cell: Cell, year: number): (PeerGroup | null)[] =>
  SNI_LEVELS.flatMap((level) => candidateSlots(cell, level, year));

/** Every group a cell's entity-years count in (at most 16): each level's candidates. */
export const groupsOfCell = (cell: Cell, year: number): PeerGroup[] =>
  SNI_LEVELS.flatMap((level) => candidateGroups(cell, level, year));

/** The levels the search walks: the one asked for, or all of them from the most specific. */
export const searchLevels = (level: BenchmarkLevel | undefined): readonly BenchmarkLevel[] =>
  level === undefined ? SNI_LEVELS : [level];
