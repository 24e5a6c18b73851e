import {
  addMonths,
  contractCategory,
  type ContractCategory,
  type ContractTerms,
  type PriceArea,
  type PriceModel,
} from '../../../domain/contracts';
import { createRng, deriveSeed, type Rng } from '../../../domain/prng';
import type { CountyCode } from '../../../domain/profile';
import { sectionOfSni } from '../../../domain/sni';
import { EMPLOYEE_BAND_RANGES } from './industry-mix';
import type { DemoEntity } from './population';
import { clamp, logNormalFactor, uniform, weightedPicker } from './sampling';

/**
 * Supplier agreements of the synthetic demo population (issue #7), so a newcomer's agreements
 * find peers. Pure and seeded like the rest of the population: the same seed, entity index and
 * load month give the same agreements. The assumptions below are rendered into
 * docs/DEMO-DATA.md by `renderDemoContractTables` (a test keeps the two equal).
 *
 * Every demo agreement runs in the load month (open-ended, renewing, or ending later), so all
 * of them count in the statistics while the demo population does.
 */

export interface DemoContractAssumption {
  readonly category: ContractCategory;
  /** Probability that a company with employees / without employees has one. */
  readonly share: { readonly staffed: number; readonly solo: number };
  /**
   * Median quantity for head count h: `base + perEmployee × h^exponent` (× the industry's
   * energy intensity for electricity), spread log-normally with `sigma`; null: per agreement.
   */
  readonly quantity: {
    readonly base: number;
    readonly perEmployee: number;
    readonly exponent: number;
    readonly sigma: number;
  } | null;
  /** Median unit price in the category's unit, spread log-normally with `sigma`. */
  readonly price: { readonly median: number; readonly sigma: number };
  /** Share of open-ended agreements; the rest run `termMonths` from a start in the past. */
  readonly openEnded: number;
  readonly termMonths: number;
  readonly renewalMonths: number | null;
  readonly noticeMonths: number;
}

export const DEMO_CONTRACT_ASSUMPTIONS: readonly DemoContractAssumption[] = [
  {
    category: 'electricity',
    share: { staffed: 0.85, solo: 0.3 },
    quantity: { base: 6_000, perEmployee: 4_500, exponent: 1, sigma: 0.5 },
    price: { median: 80, sigma: 0.22 },
    openEnded: 0.45,
    termMonths: 24,
    renewalMonths: 12,
    noticeMonths: 1,
  },
  {
    category: 'telecom',
    share: { staffed: 0.85, solo: 0.5 },
    quantity: { base: 0.5, perEmployee: 0.9, exponent: 1, sigma: 0.2 },
    price: { median: 239, sigma: 0.3 },
    openEnded: 0.2,
    termMonths: 24,
    renewalMonths: 12,
    noticeMonths: 3,
  },
  {
    category: 'insurance',
    share: { staffed: 0.92, solo: 0.6 },
    quantity: null,
    price: { median: 7_500, sigma: 0.45 },
    openEnded: 0,
    termMonths: 12,
    renewalMonths: 12,
    noticeMonths: 1,
  },
  {
    category: 'rent',
    share: { staffed: 0.6, solo: 0.12 },
    quantity: { base: 25, perEmployee: 18, exponent: 0.9, sigma: 0.4 },
    price: { median: 1_300, sigma: 0.28 },
    openEnded: 0,
    termMonths: 36,
    renewalMonths: 36,
    noticeMonths: 9,
  },
  {
    category: 'bank',
    share: { staffed: 0.95, solo: 0.8 },
    quantity: { base: 300, perEmployee: 900, exponent: 1, sigma: 0.7 },
    price: { median: 2.4, sigma: 0.45 },
    openEnded: 1,
    termMonths: 12,
    renewalMonths: null,
    noticeMonths: 1,
  },
  {
    category: 'leasing',
    share: { staffed: 0.3, solo: 0.05 },
    quantity: { base: 0.6, perEmployee: 0.15, exponent: 1, sigma: 0.5 },
    price: { median: 5_200, sigma: 0.25 },
    openEnded: 0,
    termMonths: 36,
    renewalMonths: null,
    noticeMonths: 0,
  },
  {
    category: 'it',
    share: { staffed: 0.8, solo: 0.55 },
    quantity: { base: 0.5, perEmployee: 0.9, exponent: 1, sigma: 0.15 },
    price: { median: 420, sigma: 0.45 },
    openEnded: 0.3,
    termMonths: 12,
    renewalMonths: 12,
    noticeMonths: 3,
  },
  {
    category: 'accounting',
    share: { staffed: 0.75, solo: 0.55 },
    quantity: null,
    price: { median: 30_000, sigma: 0.4 },
    openEnded: 0.7,
    termMonths: 12,
    renewalMonths: 12,
    noticeMonths: 3,
  },
  {
    category: 'cleaning',
    share: { staffed: 0.35, solo: 0.03 },
    quantity: null,
    price: { median: 42_000, sigma: 0.5 },
    openEnded: 0.3,
    termMonths: 12,
    renewalMonths: 12,
    noticeMonths: 3,
  },
  {
    category: 'security',
    share: { staffed: 0.25, solo: 0.05 },
    quantity: null,
    price: { median: 11_000, sigma: 0.4 },
    openEnded: 0,
    termMonths: 36,
    renewalMonths: 12,
    noticeMonths: 3,
  },
  {
    category: 'other',
    share: { staffed: 0.1, solo: 0.05 },
    quantity: null,
    price: { median: 15_000, sigma: 0.8 },
    openEnded: 0.5,
    termMonths: 12,
    renewalMonths: 12,
    noticeMonths: 1,
  },
];

/**
 * The price area most of a county's population lives in (counties that straddle a border go
 * by their largest towns).
 */
export const DEMO_PRICE_AREA_OF_COUNTY: Readonly<Record<CountyCode, PriceArea>> = {
  '01': 'SE3',
  '03': 'SE3',
  '04': 'SE3',
  '05': 'SE3',
  '06': 'SE3',
  '07': 'SE4',
  '08': 'SE4',
  '09': 'SE3',
  '10': 'SE4',
  '12': 'SE4',
  '13': 'SE3',
  '14': 'SE3',
  '17': 'SE3',
  '18': 'SE3',
  '19': 'SE3',
  '20': 'SE3',
  '21': 'SE3',
  '22': 'SE2',
  '23': 'SE2',
  '24': 'SE2',
  '25': 'SE1',
};

/** Electricity price (supplier's energy price and fees, no grid fee or tax) per price area. */
export const DEMO_ELECTRICITY_PRICE_FACTOR: Readonly<Record<PriceArea, number>> = {
  SE1: 0.55,
  SE2: 0.58,
  SE3: 1,
  SE4: 1.3,
};

/** Office rent relative to the national median, per county. */
export const DEMO_RENT_FACTOR: Readonly<Record<CountyCode, number>> = {
  '01': 2,
  '03': 1.3,
  '04': 0.9,
  '05': 1,
  '06': 0.92,
  '07': 0.88,
  '08': 0.85,
  '09': 0.85,
  '10': 0.8,
  '12': 1.25,
  '13': 1,
  '14': 1.4,
  '17': 0.85,
  '18': 0.92,
  '19': 0.92,
  '20': 0.8,
  '21': 0.85,
  '22': 0.85,
  '23': 0.8,
  '24': 0.92,
  '25': 0.85,
};

/** Electricity use per employee relative to an office, by SNI section. */
export const DEMO_ENERGY_INTENSITY: Readonly<Record<string, number>> = {
  A: 4,
  B: 5,
  C: 4,
  D: 3,
  E: 3,
  F: 1.5,
  G: 2,
  I: 2.5,
};

/** Price models of electricity agreements (open-ended ones are never fixed-price). */
export const DEMO_ELECTRICITY_MODELS: readonly (readonly [PriceModel, number])[] = [
  ['variable', 0.45],
  ['hourly', 0.55],
];
/** Share of fixed-price electricity among agreements with a term; of indexed rents. */
export const DEMO_FIXED_ELECTRICITY_SHARE = 0.6;
export const DEMO_INDEXED_RENT_SHARE = 0.75;

const electricityModel = weightedPicker(DEMO_ELECTRICITY_MODELS);

/** The company's head count: its newest stated one, else the bottom of its band. */
function headcountOf(entity: DemoEntity): number {
  for (const year of [...entity.years].reverse()) {
    if (year.employees !== null) return year.employees;
  }
  return EMPLOYEE_BAND_RANGES[entity.employeeBand][0];
}

function quantityOf(
  assumption: DemoContractAssumption,
  entity: DemoEntity,
  headcount: number,
  rng: Rng,
): number {
  const model = assumption.quantity;
  if (model === null) return 1;
  const intensity =
    assumption.category === 'electricity'
      ? (DEMO_ENERGY_INTENSITY[sectionOfSni(entity.sni3)?.code ?? ''] ?? 1)
      : 1;
  const median = (model.base + model.perEmployee * headcount ** model.exponent) * intensity;
  const { quantity } = contractCategory(assumption.category);
  const drawn = median * logNormalFactor(rng, model.sigma);
  // Whole units even where fractions are allowed (nobody states 1 234.56 kWh).
  return clamp(Math.round(drawn), 1, quantity?.max ?? 1);
}

function terms(
  assumption: DemoContractAssumption,
  entity: DemoEntity,
  headcount: number,
  month: string,
  rng: Rng,
): ContractTerms {
  const quantity = quantityOf(assumption, entity, headcount, rng);
  const priceArea = DEMO_PRICE_AREA_OF_COUNTY[entity.county];
  const regional =
    assumption.category === 'electricity'
      ? DEMO_ELECTRICITY_PRICE_FACTOR[priceArea]
      : assumption.category === 'rent'
        ? DEMO_RENT_FACTOR[entity.county]
        : 1;
  const price = assumption.price.median * regional * logNormalFactor(rng, assumption.price.sigma);
  const { price: unit } = contractCategory(assumption.category);
  const annualCost = Math.max(1, Math.round(price * quantity * unit.annualFactor));
  const openEnded = rng.chance(assumption.openEnded);
  // Started up to three years ago; a term without renewal still runs this month.
  const startMonth = addMonths(
    month,
    -Math.floor(uniform(rng, 0, assumption.renewalMonths === null ? assumption.termMonths : 36)),
  );
  const endMonth = openEnded ? null : addMonths(startMonth, assumption.termMonths - 1);
  const priceModel: PriceModel | null =
    assumption.category === 'electricity'
      ? !openEnded && rng.chance(DEMO_FIXED_ELECTRICITY_SHARE)
        ? 'fixed'
        : electricityModel(rng)
      : assumption.category === 'rent'
        ? rng.chance(DEMO_INDEXED_RENT_SHARE)
          ? 'indexed'
          : 'fixed'
        : null;
  return {
    category: assumption.category,
    quantity,
    annualCost,
    startMonth,
    endMonth,
    noticeMonths: assumption.noticeMonths,
    renewalMonths: openEnded ? null : assumption.renewalMonths,
    priceModel,
    priceArea: assumption.category === 'electricity' ? priceArea : null,
    county: assumption.category === 'rent' ? entity.county : null,
  };
}

/**
 * The agreements of demo entity number `index` (its own seeded stream), current in `month`
 * (`YYYY-MM`, the load month).
 */
export function demoContractsOf(
  entity: DemoEntity,
  index: number,
  seed: number,
  month: string,
): ContractTerms[] {
  const rng = createRng(deriveSeed(seed, `contracts:${index}`));
  const headcount = headcountOf(entity);
  return DEMO_CONTRACT_ASSUMPTIONS.flatMap((assumption) => {
    const share = headcount > 0 ? assumption.share.staffed : assumption.share.solo;
    return rng.chance(share) ? [terms(assumption, entity, Math.max(headcount, 0), month, rng)] : [];
  });
}
