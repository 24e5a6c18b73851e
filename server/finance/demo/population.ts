import { z } from 'zod';
import { isoDayMs } from '../../../domain/figures';
import { createRng, deriveSeed, type Rng } from '../../../domain/prng';
import type { CountyCode, EmployeeBand } from '../../../domain/profile';
import { SNI_DIVISIONS } from '../../../domain/sni';
import { ARCHETYPES, archetypeOfDivision, type Archetype } from './archetypes';
import { drawTraits, simulateBooks, type CompanyMode, type DemoBooksYear } from './books';
import {
  DIVISION_MIX,
  EMPLOYEE_BAND_RANGES,
  MIN_ENTITIES_PER_DIVISION_SHARE,
  countyWeights,
  groupsOfDivision,
  tiltedBandWeights,
} from './industry-mix';
import { apportion, clamp, shuffled, uniform, weightedPicker } from './sampling';

/**
 * The synthetic demo population (DESIGN §7): companies with a coarse profile and three fiscal
 * years of group sums each, generated deterministically from a seed. Pure: no clock, no I/O,
 * no global randomness; the same options give the same entities, byte for byte.
 */

/** One fiscal year of a demo entity, exactly as a `year_summary` row stores it. */
export interface DemoYear extends DemoBooksYear {
  /** Head count within the entity's band, or null (not stated). */
  readonly employees: number | null;
}

/** One demo entity: the coarse profile of an `entity` row and its years. */
export interface DemoEntity {
  /** SNI 2007 3-digit group. */
  readonly sni3: string;
  readonly employeeBand: EmployeeBand;
  readonly county: CountyCode;
  readonly years: readonly DemoYear[];
}

/** The seed of the shipped demo population. */
export const DEMO_SEED = 20_230_101;
export const MAX_DEMO_ENTITIES = 300_000;
/**
 * The demo timeline: calendar years 2008–2025, so that exports of any recent year (including
 * the older SIE files people still have) find demo peers of their own fiscal year.
 */
export const DEFAULT_DEMO_FISCAL_YEARS: readonly { start: string; end: string }[] = Array.from(
  { length: 18 },
  (_, i) => 2008 + i,
).map((year) => ({ start: `${year}-01-01`, end: `${year}-12-31` }));
/** Consecutive fiscal years each demo company has (a window of the timeline). */
export const DEMO_YEARS_PER_ENTITY = 3;
/**
 * Share of companies whose window is the newest one (the years most uploads are about); the
 * rest are spread evenly over every window of the timeline.
 */
export const NEWEST_WINDOW_SHARE = 0.5;

/** Share of non-holding companies founded in the first year (no sales that year) / dormant. */
export const STARTUP_SHARE = 0.015;
export const DORMANT_SHARE = 0.005;
/** Share of companies that never state a head count, and of single years left blank. */
export const EMPLOYEES_NEVER_STATED = 0.06;
export const EMPLOYEES_YEAR_BLANK = 0.03;
/** SNI group of holding companies (64.2): they own subsidiaries and have little or no sales. */
export const HOLDING_GROUP = '642';
/** Band tilt of holding companies: most have no employees. */
export const HOLDING_BAND_TILT = 0.4;

const DAY_MS = 86_400_000;

const fiscalYearSpanSchema = z
  .strictObject({ start: z.string(), end: z.string() })
  .refine((span) => {
    const start = isoDayMs(span.start);
    const end = isoDayMs(span.end);
    return start !== undefined && end !== undefined && end >= start && end - start < 550 * DAY_MS;
  }, 'a fiscal year is two valid dates, at most 18 months apart');

export const demoPopulationOptionsSchema = z.strictObject({
  entities: z.int().min(1).max(MAX_DEMO_ENTITIES),
  seed: z.int().min(0).max(0xffff_ffff).default(DEMO_SEED),
  fiscalYears: z
    .array(fiscalYearSpanSchema)
    .min(1)
    .max(30)
    .default(() => [...DEFAULT_DEMO_FISCAL_YEARS])
    .refine(
      (years) =>
        years.every((year, i) => {
          const previous = years[i - 1];
          return (
            previous === undefined || isoDayMs(year.start) === isoDayMs(previous.end)! + DAY_MS
          );
        }),
      'fiscal years must follow each other without gaps',
    ),
});
export type DemoPopulationOptions = z.input<typeof demoPopulationOptionsSchema>;

const groupPickers = new Map(
  Object.keys(DIVISION_MIX).map((division) => [
    division,
    weightedPicker(groupsOfDivision(division)),
  ]),
);
const bandPickers = new Map(
  ARCHETYPES.map((archetype) => [
    archetype.id,
    weightedPicker(tiltedBandWeights(archetype.bandTilt)),
  ]),
);
const holdingBandPicker = weightedPicker(tiltedBandWeights(HOLDING_BAND_TILT));
const countyPicker = weightedPicker(countyWeights(false));
const ruralCountyPicker = weightedPicker(countyWeights(true));

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`demo population: no ${what}`);
  return value;
}

/** A head count inside the band: log-uniform within it; 250+ gets a Pareto-like tail. */
function drawHeadcount(band: EmployeeBand, rng: Rng): number {
  const [lo, hi] = EMPLOYEE_BAND_RANGES[band];
  if (lo === 0) return 0;
  if (band === '250+') {
    return Math.min(hi, Math.floor(lo * Math.exp(-0.8 * Math.log(1 - rng.next()))));
  }
  return clamp(Math.floor(Math.exp(uniform(rng, Math.log(lo), Math.log(hi + 1)))), lo, hi);
}

/** The stated head count of each year: mostly stable, sometimes one more or less. */
function statedEmployees(
  band: EmployeeBand,
  headcount: number,
  mode: CompanyMode,
  years: number,
  rng: Rng,
): (number | null)[] {
  const [lo, hi] = EMPLOYEE_BAND_RANGES[band];
  const neverStated = rng.chance(EMPLOYEES_NEVER_STATED);
  let current = headcount;
  return Array.from({ length: years }, (_, age) => {
    if (age > 0 && rng.chance(0.15)) {
      const step = Math.max(1, Math.round(current * 0.05));
      current = clamp(current + (rng.chance(0.5) ? step : -step), lo, hi);
    }
    const blank = rng.chance(EMPLOYEES_YEAR_BLANK);
    // A startup has nobody on the payroll in the year it is founded.
    if (neverStated || blank || (mode === 'startup' && age === 0)) return null;
    return current;
  });
}

function drawEntity(
  division: string,
  years: readonly { start: string; end: string }[],
  rng: Rng,
): DemoEntity {
  const archetype: Archetype = required(archetypeOfDivision(division), `archetype for ${division}`);
  const sni3 = required(groupPickers.get(division), `groups of ${division}`)(rng);
  const mode: CompanyMode =
    sni3 === HOLDING_GROUP
      ? 'holding'
      : rng.chance(STARTUP_SHARE)
        ? 'startup'
        : rng.chance(DORMANT_SHARE / (1 - STARTUP_SHARE))
          ? 'dormant'
          : 'operating';
  const drawnBand =
    mode === 'holding'
      ? holdingBandPicker(rng)
      : required(bandPickers.get(archetype.id), 'band picker')(rng);
  const band: EmployeeBand =
    mode === 'dormant' ? '0' : mode === 'startup' && drawnBand !== '0' ? '1-4' : drawnBand;
  const headcount = drawHeadcount(band, rng);
  const county = (archetype.id === 'agriculture' ? ruralCountyPicker : countyPicker)(rng);
  const traits = drawTraits(archetype, { mode, headcount }, rng);
  const books = simulateBooks(traits, years, rng);
  const employees = statedEmployees(band, headcount, mode, books.length, rng);
  return {
    sni3,
    employeeBand: band,
    county,
    years: books.map((year, i) => ({
      start: year.start,
      end: year.end,
      employees: employees[i] ?? null,
      balance: year.balance,
      result: year.result,
    })),
  };
}

/**
 * Generates the demo population lazily, one entity at a time. Every SNI 2007 division gets
 * its weighted share (and at least a minimum), in a seeded random order; every entity draws
 * from its own seeded stream. Throws on invalid options (a programming error: the server
 * validates its configuration before it gets here).
 */
export function* generateDemoPopulation(
  options: DemoPopulationOptions,
): Generator<DemoEntity, void, undefined> {
  const { entities, seed, fiscalYears } = demoPopulationOptionsSchema.parse(options);
  const divisions = SNI_DIVISIONS.map((division) => division.code);
  const counts = apportion(
    divisions.map((code) => required(DIVISION_MIX[code], `mix for ${code}`).weight),
    entities,
    Math.max(1, Math.round(entities * MIN_ENTITIES_PER_DIVISION_SHARE)),
  );
  const order = shuffled(
    divisions.flatMap((code, i) => Array<string>(counts[i] ?? 0).fill(code)),
    createRng(deriveSeed(seed, 'divisions')),
  );
  const window = Math.min(DEMO_YEARS_PER_ENTITY, fiscalYears.length);
  const windows = fiscalYears.length - window + 1;
  for (let index = 0; index < order.length; index += 1) {
    const rng = createRng(deriveSeed(seed, `entity:${index}`));
    // Its own stream, so the window never shifts the company's other draws.
    const windowRng = createRng(deriveSeed(seed, `window:${index}`));
    const first = windowRng.chance(NEWEST_WINDOW_SHARE)
      ? windows - 1
      : windowRng.int(0, windows - 1);
    yield drawEntity(order[index] ?? '', fiscalYears.slice(first, first + window), rng);
  }
}
