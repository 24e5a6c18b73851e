import type { Rng } from '../../../domain/prng';
import type { BalanceGroups, ResultGroups } from '../../../domain/sie-summary';
import { corporateTaxRate } from '../../../domain/tax-rates';
import type { Archetype, OtherCostGroup } from './archetypes';
import { clamp, credit, gaussian, logNormalFactor, toOre, uniform } from './sampling';

/**
 * The books of one synthetic company: a small yearly simulation that produces 2-digit BAS
 * group sums in the stored shape (integer öre, SIE signs: assets and costs positive, equity,
 * liabilities and revenue negative). Every year balances exactly:
 *
 *   Σ ub 10–29 + Σ result 30–89 = 0
 *
 * because the year result is not yet booked into equity (ub 20 holds the equity before this
 * year's result, as in an SIE export before closing) and cash is the balancing item of the
 * closing position. Each year's ib is the previous year's ub; the previous result is moved
 * into equity during the year (with any dividend paid out of it).
 */

/** Statutory rates and conventions of 2023–2025 (documented in docs/DEMO-DATA.md). */
export const BOOKKEEPING_ASSUMPTIONS = {
  /** Arbetsgivaravgifter on wages (75). */
  employerContributions: 0.3142,
  /** Occupational pension premiums on wages (74). */
  pensionRate: 0.045,
  /** Särskild löneskatt on pension premiums (75). */
  pensionPayrollTax: 0.2426,
  /** Taxable benefits and allowances on wages (73), where booked (half of companies). */
  benefitsRate: 0.01,
  /** Other personnel costs on wages: training, health care, staff events (76), where booked. */
  otherPersonnelRate: 0.02,
  /** Preliminary income tax withheld from wages, owed for one month (27). */
  withholdingRate: 0.3,
  /** Output VAT rate on value added, owed for 1.5 months (26). */
  vatRate: 0.25,
  /** Interest on cash and short-term investments (83). */
  depositRate: 0.015,
  /** Interest on loans and overdrafts (84): mean and spread across companies. */
  loanRate: { mean: 0.055, sd: 0.012 },
  /** Yearly amortisation of long-term loans: uniform range. */
  amortisation: [0.04, 0.12] as const,
  /** Depreciation of buildings (11) and of intangible assets (10) per year. */
  buildingDepreciation: 0.03,
  intangibleDepreciation: 0.2,
  /** Share capital of a Swedish private limited company (SEK); dividends never touch it. */
  shareCapital: 25_000,
  /** Largest allocation to a periodiseringsfond (21), as a share of the year's profit. */
  maxReserveAllocation: 0.25,
  /** Share of companies that use periodiseringsfonder / pay dividends out of profits. */
  reserveUsers: 0.45,
  dividendPayers: 0.5,
  /** Yearly chance that owners restore negative equity with a shareholder contribution. */
  equityRescue: 0.35,
  /** Yearly chance of an impairment (77) of 10–40 % of machinery and equipment. */
  impairment: 0.01,
  /** Vacation pay and other accrued personnel costs, as a share of wages (29). */
  accruedWageShare: 0.07,
} as const;

const A = BOOKKEEPING_ASSUMPTIONS;
const PERSONNEL_OVERHEAD =
  1 +
  A.employerContributions +
  A.pensionRate * (1 + A.pensionPayrollTax) +
  A.benefitsRate +
  A.otherPersonnelRate;

/**
 * What kind of company it is. `startup`: founded in the first fiscal year, no sales that year;
 * `dormant`: no sales at all; `holding`: owns shares in subsidiaries (SNI 642) and lives on
 * their dividends; `operating`: everyone else.
 */
export type CompanyMode = 'operating' | 'startup' | 'dormant' | 'holding';

export interface CompanyTraits {
  readonly archetype: Archetype;
  readonly mode: CompanyMode;
  /** Net sales (SEK) of the year before the first fiscal year; 0 for no sales. */
  readonly baseSales: number;
  /** Persistent yearly log growth of net sales. */
  readonly growth: number;
  /** Persistent EBITDA margin. */
  readonly margin: number;
  /** Operating costs by kind, summing to 1. */
  readonly mix: {
    readonly goods: number;
    readonly personnel: number;
    readonly premises: number;
    readonly other: number;
  };
  /** Other external costs over groups 51–69, weights summing to 1. */
  readonly otherCosts: readonly (readonly [OtherCostGroup, number])[];
  /** Share of net sales booked as secondary income (36) rather than main revenue (30). */
  readonly secondaryRevenue: number;
  /** Fixed assets per group as multiples of net sales (0: the company has none). */
  readonly fixedAssets: { readonly '10': number; readonly '11': number; readonly '12': number };
  /** Financial fixed assets (13) of the opening position, SEK. */
  readonly financialAssets: number;
  /** Short-term investments (18) of the opening position, SEK. */
  readonly investments: number;
  readonly inventoryDays: number;
  readonly receivableDays: number;
  readonly payableDays: number;
  readonly cashDays: number;
  readonly openingEquityRatio: number;
  readonly usesReserves: boolean;
  readonly paysDividends: boolean;
  readonly loanRate: number;
  readonly amortisation: number;
  /** Yearly costs (SEK) of a company without sales: accounting, bank, insurance. */
  readonly idleCosts: number;
  /** Whether the company books benefits (73) and other personnel costs (76) at all. */
  readonly booksBenefits: boolean;
  readonly booksOtherPersonnel: boolean;
}

/** One fiscal year of a company, exactly as a `year_summary` row stores it. */
export interface DemoBooksYear {
  readonly start: string;
  readonly end: string;
  readonly balance: BalanceGroups;
  readonly result: ResultGroups;
}

export interface FiscalYearSpan {
  readonly start: string;
  readonly end: string;
}

/** Draws the traits of one company of an archetype. */
export function drawTraits(
  archetype: Archetype,
  company: { mode: CompanyMode; headcount: number },
  rng: Rng,
): CompanyTraits {
  const { mode, headcount } = company;
  const solo = headcount === 0;
  const baseSales = ((): number => {
    switch (mode) {
      case 'dormant':
        return 0;
      case 'holding':
        return rng.chance(0.3) ? archetype.soloSales * 0.5 * logNormalFactor(rng, 0.8) : 0;
      case 'startup':
        return archetype.soloSales * logNormalFactor(rng, 0.6);
      case 'operating':
        return solo
          ? archetype.soloSales * logNormalFactor(rng, archetype.salesSigma + 0.3)
          : archetype.salesPerEmployee * headcount * logNormalFactor(rng, archetype.salesSigma);
    }
  })();
  // Owners of companies without employees take a small salary or none (3:12 dividends instead).
  const personnelWeight = archetype.costMix.personnel * (solo ? (rng.chance(0.5) ? 0.1 : 0) : 1);
  const rawMix = {
    goods: archetype.costMix.goods * logNormalFactor(rng, 0.25),
    personnel: personnelWeight * logNormalFactor(rng, 0.25),
    premises: archetype.costMix.premises * logNormalFactor(rng, 0.35),
    other: archetype.costMix.other * logNormalFactor(rng, 0.25),
  };
  const mixTotal = rawMix.goods + rawMix.personnel + rawMix.premises + rawMix.other;
  const otherCosts = Object.entries(archetype.otherCosts)
    .map(([group, weight]) => [group as OtherCostGroup, (weight ?? 0) / 100] as const)
    // Small cost groups are often not used at all by a small company.
    .filter(([, weight]) => weight >= 0.06 || rng.chance(0.5))
    .map(([group, weight]) => [group, weight * logNormalFactor(rng, 0.5)] as const);
  const otherTotal = otherCosts.reduce((sum, [, weight]) => sum + weight, 0);
  const present = (intensity: number, probability: number) =>
    intensity > 0 && rng.chance(probability)
      ? (intensity / probability) * logNormalFactor(rng, 0.5)
      : 0;
  const holding = mode === 'holding';
  return {
    archetype,
    mode,
    baseSales,
    growth: gaussian(rng, archetype.growth.mean, archetype.growth.sd),
    margin: gaussian(
      rng,
      archetype.ebitdaMargin.mean + (solo ? 0.06 : 0),
      archetype.ebitdaMargin.sd,
    ),
    mix: {
      goods: rawMix.goods / mixTotal,
      personnel: rawMix.personnel / mixTotal,
      premises: rawMix.premises / mixTotal,
      other: rawMix.other / mixTotal,
    },
    otherCosts:
      otherTotal > 0
        ? otherCosts.map(([group, weight]) => [group, weight / otherTotal])
        : [['69', 1]],
    secondaryRevenue: rng.chance(0.25) ? uniform(rng, 0.01, 0.06) : 0,
    fixedAssets: {
      '10': present(archetype.fixedAssets.intangible, 0.3),
      '11': present(
        archetype.fixedAssets.buildings,
        archetype.fixedAssets.buildings >= 0.5 ? 0.9 : 0.2,
      ),
      '12': present(archetype.fixedAssets.machinery, 0.85),
    },
    financialAssets: holding
      ? 3_000_000 * logNormalFactor(rng, 1.1)
      : present(archetype.fixedAssets.financial, 0.35) * baseSales,
    investments: rng.chance(0.08) ? baseSales * 0.05 * logNormalFactor(rng, 0.8) : 0,
    inventoryDays: archetype.inventoryDays * logNormalFactor(rng, 0.3),
    receivableDays: archetype.receivableDays * logNormalFactor(rng, 0.3),
    payableDays: archetype.payableDays * logNormalFactor(rng, 0.3),
    cashDays: archetype.cashDays * logNormalFactor(rng, 0.6),
    openingEquityRatio: clamp(
      gaussian(rng, holding ? 0.75 : archetype.equityRatio.mean, archetype.equityRatio.sd),
      -0.35,
      0.95,
    ),
    usesReserves: rng.chance(A.reserveUsers),
    paysDividends: rng.chance(holding ? 0.8 : A.dividendPayers),
    loanRate: clamp(gaussian(rng, A.loanRate.mean, A.loanRate.sd), 0.02, 0.1),
    amortisation: uniform(rng, A.amortisation[0], A.amortisation[1]),
    idleCosts: (mode === 'startup' ? 60_000 : 20_000) * logNormalFactor(rng, 0.5),
    booksBenefits: rng.chance(0.5),
    booksOtherPersonnel: rng.chance(0.6),
  };
}

/** Closing position in öre, every item a non-negative magnitude except equity. */
interface Position {
  readonly assets: Readonly<Record<AssetGroup, number>>;
  /** Equity including every result so far (negative when losses exceed capital). */
  readonly equity: number;
  readonly reserves: number;
  readonly longDebt: number;
  readonly liabilities: CurrentLiabilities;
}

type AssetGroup = '10' | '11' | '12' | '13' | '14' | '15' | '16' | '17' | '18' | '19';

interface CurrentLiabilities {
  readonly payables: number;
  readonly overdraft: number;
  readonly taxes: number;
  readonly vat: number;
  readonly payroll: number;
  readonly other: number;
  readonly accrued: number;
}

interface Carry {
  readonly sales: number;
  readonly lastProfit: number;
  readonly lossCarry: number;
}

/** The flows of one year that working capital follows (SEK). */
interface Flows {
  readonly sales: number;
  readonly goods: number;
  readonly premises: number;
  readonly other: number;
  readonly wages: number;
  readonly tax: number;
}

const EMPTY_ASSETS: Readonly<Record<AssetGroup, number>> = {
  '10': 0,
  '11': 0,
  '12': 0,
  '13': 0,
  '14': 0,
  '15': 0,
  '16': 0,
  '17': 0,
  '18': 0,
  '19': 0,
};

const NO_LIABILITIES: CurrentLiabilities = {
  payables: 0,
  overdraft: 0,
  taxes: 0,
  vat: 0,
  payroll: 0,
  other: 0,
  accrued: 0,
};

/** Receivables, payables and the other working-capital items that follow the year's flows. */
function workingCapital(traits: CompanyTraits, flows: Flows, rng: Rng) {
  const noise = () => logNormalFactor(rng, 0.15);
  const purchases = flows.goods + flows.premises + flows.other;
  return {
    receivables: toOre(((traits.receivableDays * flows.sales) / 365) * noise()),
    otherReceivables: toOre((0.01 * flows.sales + 2_000) * logNormalFactor(rng, 0.5)),
    prepaid: flows.premises > 0 ? toOre((flows.premises / 12 + 0.004 * flows.sales) * noise()) : 0,
    liabilities: {
      payables: toOre(((traits.payableDays * purchases) / 365) * noise()),
      overdraft: 0,
      taxes: toOre(flows.tax * uniform(rng, 0, 0.4)),
      vat: toOre(
        A.vatRate * Math.max(0, flows.sales - flows.goods - flows.other) * (1.5 / 12) * noise(),
      ),
      payroll: toOre((flows.wages * (A.withholdingRate + A.employerContributions)) / 12),
      other: rng.chance(0.5) ? toOre(0.005 * flows.sales * logNormalFactor(rng, 0.7)) : 0,
      accrued: toOre((A.accruedWageShare * flows.wages + 0.01 * flows.sales) * noise()),
    } satisfies CurrentLiabilities,
  };
}

const sumLiabilities = (l: CurrentLiabilities): number =>
  l.payables + l.overdraft + l.taxes + l.vat + l.payroll + l.other + l.accrued;

/**
 * Completes a position with cash as the balancing item. Cash far above `cashTarget` repays
 * long-term debt first. Cash below `minCash` is topped up by borrowing: long-term against
 * buildings and machinery (up to 80 % of their book value), the rest as an overdraft (24).
 */
function settle(
  parts: Omit<Position, 'assets'> & { assets: Omit<Record<AssetGroup, number>, '19'> },
  cashTarget: number,
  minCash: number,
  rng: Rng,
): Position {
  const nonCash = Object.values(parts.assets).reduce((sum, value) => sum + value, 0);
  let longDebt = parts.longDebt;
  let cash = parts.equity + parts.reserves + longDebt + sumLiabilities(parts.liabilities) - nonCash;
  if (cash > 3 * cashTarget && longDebt > 0) {
    const repay = Math.min(longDebt, Math.round((cash - 2 * cashTarget) * uniform(rng, 0.3, 1)));
    longDebt -= repay;
    cash -= repay;
  }
  let overdraft = parts.liabilities.overdraft;
  if (cash < minCash) {
    const shortfall = minCash - cash;
    const collateral = Math.round(0.8 * (parts.assets['11'] + parts.assets['12']));
    const refinancing = Math.max(0, Math.min(shortfall, collateral - longDebt));
    longDebt += refinancing;
    overdraft += shortfall - refinancing;
    cash = minCash;
  }
  return {
    equity: parts.equity,
    reserves: parts.reserves,
    longDebt,
    liabilities: { ...parts.liabilities, overdraft },
    assets: { ...parts.assets, '19': cash },
  };
}

const cashLevels = (traits: CompanyTraits, sales: number) => ({
  target: toOre(Math.max(20_000, (traits.cashDays * sales) / 365)),
  min: toOre(Math.max(5_000, (5 * sales) / 365)),
});

/** The position at the start of the simulated history (the warm-up year's ib). */
function openingPosition(traits: CompanyTraits, rng: Rng): Position {
  const { mode } = traits;
  if (mode === 'startup') {
    return {
      assets: EMPTY_ASSETS,
      equity: 0,
      reserves: 0,
      longDebt: 0,
      liabilities: NO_LIABILITIES,
    };
  }
  const sales = traits.baseSales;
  if (mode === 'dormant') {
    const cash = toOre(150_000 * logNormalFactor(rng, 1));
    return {
      assets: { ...EMPTY_ASSETS, '19': cash },
      equity: cash,
      reserves: 0,
      longDebt: 0,
      liabilities: NO_LIABILITIES,
    };
  }
  const opex = sales * (1 - traits.margin);
  const goods = opex * traits.mix.goods;
  const wages = (opex * traits.mix.personnel) / PERSONNEL_OVERHEAD;
  const flows: Flows = {
    sales,
    goods,
    premises: opex * traits.mix.premises,
    other: opex * traits.mix.other,
    wages,
    tax: Math.max(0, sales * traits.margin * 0.8) * 0.206,
  };
  const capital = workingCapital(traits, flows, rng);
  const assets = {
    '10': toOre(traits.fixedAssets['10'] * sales),
    '11': toOre(traits.fixedAssets['11'] * sales),
    '12': toOre(traits.fixedAssets['12'] * sales),
    '13': toOre(traits.financialAssets),
    '14': toOre((traits.inventoryDays * goods) / 365),
    '15': capital.receivables,
    '16': capital.otherReceivables,
    '17': capital.prepaid,
    '18': toOre(traits.investments),
  };
  const cash = cashLevels(traits, sales);
  const total = Object.values(assets).reduce((a, b) => a + b, 0) + cash.target;
  const reserves =
    traits.usesReserves && traits.margin > 0
      ? toOre(sales * traits.margin * uniform(rng, 0.1, 0.6))
      : 0;
  const equity = Math.round(total * traits.openingEquityRatio);
  const debt = total - equity - reserves - sumLiabilities(capital.liabilities);
  const tangible = assets['11'] + assets['12'] + (mode === 'holding' ? assets['13'] : 0);
  const longDebt =
    debt <= 0
      ? 0
      : Math.round(Math.min(debt, 0.8 * tangible) + 0.5 * Math.max(0, debt - 0.8 * tangible));
  return settle(
    { assets, equity, reserves, longDebt, liabilities: capital.liabilities },
    cash.target,
    cash.min,
    rng,
  );
}

/** Result group sums in öre, indexed by group number (30–89); exact below 2^53. */
type ResultSlots = Float64Array;

const newResultSlots = (): ResultSlots => new Float64Array(90);

/** `'10'`…`'89'`, so serialising a year builds no strings. */
const GROUP_KEYS: readonly string[] = Array.from({ length: 90 }, (_, g) => String(g));

/** Adds öre to a result group. */
function book(result: ResultSlots, group: string, amount: number): void {
  const slot = Number(group);
  result[slot] = (result[slot] ?? 0) + amount;
}

const sumResult = (result: ResultSlots, from: number, to: number): number => {
  let sum = 0;
  for (let g = from; g <= to; g += 1) sum += result[g] ?? 0;
  return sum;
};

/** The ub of every balance group, with this year's result not yet booked into equity. */
function closingBalances(position: Position, profit: number): Record<string, number> {
  const l = position.liabilities;
  return {
    ...position.assets,
    '20': credit(position.equity - profit),
    '21': credit(position.reserves),
    '23': credit(position.longDebt),
    '24': credit(l.payables + l.overdraft),
    '25': credit(l.taxes),
    '26': credit(l.vat),
    '27': credit(l.payroll),
    '28': credit(l.other),
    '29': credit(l.accrued),
  };
}

function simulateYear(
  traits: CompanyTraits,
  position: Position,
  carry: Carry,
  context: { span: FiscalYearSpan; age: number },
  rng: Rng,
): { result: ResultSlots; position: Position; carry: Carry; profit: number } {
  const { archetype, mode } = traits;
  const { age } = context;
  const result = newResultSlots();

  // Net sales.
  const sales = ((): number => {
    if (mode === 'dormant') return 0;
    if (mode === 'startup') {
      if (age === 0) return 0;
      if (age === 1) return traits.baseSales * 0.4;
      return carry.sales * Math.exp(gaussian(rng, 0.45, 0.25));
    }
    if (carry.sales === 0) return 0;
    return carry.sales * Math.exp(clamp(traits.growth + gaussian(rng, 0, 0.08), -0.7, 0.9));
  })();
  const margin = clamp(
    traits.margin + gaussian(rng, 0, 0.03) - (mode === 'startup' && age === 1 ? 0.2 : 0),
    -0.8,
    0.85,
  );
  const opex = sales > 0 ? sales * (1 - margin) : 0;
  book(result, '30', -toOre(sales * (1 - traits.secondaryRevenue)));
  book(result, '36', -toOre(sales * traits.secondaryRevenue));
  if (sales > 0 && rng.chance(0.1)) book(result, '39', -toOre(sales * uniform(rng, 0, 0.02)));

  // Goods, with the inventory change in 49 (purchases = consumption + inventory growth).
  const goods = opex * traits.mix.goods;
  const subcontracted = goods * archetype.subcontracting;
  const materials = toOre(goods - subcontracted);
  const oldInventory = position.assets['14'];
  const targetInventory =
    archetype.inventoryDays > 0 && sales > 0
      ? toOre(((traits.inventoryDays * goods) / 365) * logNormalFactor(rng, 0.15))
      : 0;
  const inventoryChange = Math.max(targetInventory - oldInventory, -Math.round(materials * 0.9));
  book(result, '40', materials + inventoryChange);
  book(result, '46', toOre(subcontracted));
  book(result, '49', -inventoryChange);

  // Personnel: wages plus their statutory and contractual costs.
  const wages = (opex * traits.mix.personnel) / PERSONNEL_OVERHEAD;
  book(result, '70', toOre(wages * archetype.hourlyWageShare));
  book(result, '72', toOre(wages * (1 - archetype.hourlyWageShare)));
  if (traits.booksBenefits) book(result, '73', toOre(wages * A.benefitsRate));
  book(result, '74', toOre(wages * A.pensionRate));
  book(
    result,
    '75',
    toOre(wages * (A.employerContributions + A.pensionRate * A.pensionPayrollTax)),
  );
  if (traits.booksOtherPersonnel) book(result, '76', toOre(wages * A.otherPersonnelRate));

  // Premises and other external costs; a company without sales still pays its accountant.
  const premises = opex * traits.mix.premises;
  book(result, '50', toOre(premises));
  const other = sales > 0 ? opex * traits.mix.other : traits.idleCosts * logNormalFactor(rng, 0.2);
  const otherCosts =
    sales > 0
      ? traits.otherCosts
      : ([
          ['64', 0.45],
          ['65', 0.25],
          ['62', 0.1],
          ['63', 0.1],
          ['69', 0.1],
        ] as const);
  for (const [group, weight] of otherCosts) book(result, group, toOre(other * weight));

  // Fixed assets: depreciation (78), partial catch-up investment towards the target level.
  const rates = {
    '10': A.intangibleDepreciation,
    '11': A.buildingDepreciation,
    '12': archetype.machineryDepreciation,
  } as const;
  const fixed = { '10': 0, '11': 0, '12': 0 };
  let tangibleInvestment = 0;
  for (const group of ['10', '11', '12'] as const) {
    const depreciation = Math.round(position.assets[group] * rates[group]);
    const remaining = position.assets[group] - depreciation;
    const target = toOre(traits.fixedAssets[group] * sales * logNormalFactor(rng, 0.1));
    const investment =
      target > remaining ? Math.round((target - remaining) * uniform(rng, 0.3, 1)) : 0;
    book(result, '78', depreciation);
    fixed[group] = remaining + investment;
    if (group !== '10') tangibleInvestment += investment;
  }
  if (fixed['12'] > 0 && rng.chance(A.impairment)) {
    const impairment = Math.round(fixed['12'] * uniform(rng, 0.1, 0.4));
    book(result, '77', impairment);
    fixed['12'] -= impairment;
  }

  // Financial items: interest, dividends from subsidiaries (80, tax-exempt) and securities.
  const financialAssets = position.assets['13'];
  book(
    result,
    '83',
    -Math.round(
      (position.assets['19'] + position.assets['18']) * A.depositRate * uniform(rng, 0.5, 1.5),
    ),
  );
  book(
    result,
    '84',
    Math.round((position.longDebt + position.liabilities.overdraft) * traits.loanRate),
  );
  if (mode === 'holding' && rng.chance(0.75)) {
    book(result, '80', -Math.round(financialAssets * uniform(rng, 0.02, 0.15)));
  } else if (mode !== 'holding' && financialAssets > 0 && rng.chance(0.3)) {
    book(result, '82', -Math.round(financialAssets * uniform(rng, 0, 0.05)));
  }

  // Appropriations (88): allocate to or release from periodiseringsfonder (21).
  const beforeAppropriations = -sumResult(result, 30, 87);
  const exemptIncome = -(result[80] ?? 0);
  const allocation =
    traits.usesReserves && beforeAppropriations - exemptIncome > 0
      ? Math.round(
          (beforeAppropriations - exemptIncome) * A.maxReserveAllocation * uniform(rng, 0.4, 1),
        )
      : 0;
  const release =
    beforeAppropriations < 0 && position.reserves > 0
      ? Math.min(position.reserves, Math.round(-beforeAppropriations * uniform(rng, 0.3, 1)))
      : 0;
  book(result, '88', allocation - release);
  const reserves = position.reserves + allocation - release;

  // Tax (89) on the taxable result, using losses carried forward first.
  const taxable = beforeAppropriations - (allocation - release) - exemptIncome;
  const usedLoss = taxable > 0 ? Math.min(carry.lossCarry, taxable) : 0;
  const tax =
    taxable > 0 ? Math.round((taxable - usedLoss) * corporateTaxRate(context.span.start)) : 0;
  book(result, '89', tax);
  const lossCarry = carry.lossCarry - usedLoss + (taxable < 0 ? -taxable : 0);
  const profit = -sumResult(result, 30, 89);

  // Equity: last year's result is disposed of (dividend), this year's result is added.
  const shareCapital = toOre(A.shareCapital);
  const dividend =
    traits.paysDividends && carry.lastProfit > 0 && position.equity > shareCapital
      ? Math.min(
          Math.round(carry.lastProfit * uniform(rng, 0.3, 1)),
          position.equity - shareCapital,
        )
      : 0;
  const startCapital = mode === 'startup' && age === 0 ? toOre(uniform(rng, 25_000, 100_000)) : 0;
  const beforeRescue = position.equity + startCapital + profit - dividend;
  const rescue =
    beforeRescue < 0 && rng.chance(A.equityRescue)
      ? -beforeRescue + toOre(uniform(rng, 25_000, 200_000))
      : 0;
  const equity = beforeRescue + rescue;

  const capital = workingCapital(
    traits,
    { sales, goods, premises, other: sales > 0 ? other : 0, wages, tax: tax / 100 },
    rng,
  );
  const longDebt =
    Math.round(position.longDebt * (1 - traits.amortisation)) +
    Math.round(tangibleInvestment * archetype.debtFinancing * uniform(rng, 0.5, 1));
  const cash = cashLevels(traits, sales);
  const next = settle(
    {
      assets: {
        ...fixed,
        '13': financialAssets,
        '14': oldInventory + inventoryChange,
        '15': capital.receivables,
        '16': capital.otherReceivables,
        '17': capital.prepaid,
        '18': position.assets['18'],
      },
      equity,
      reserves,
      longDebt,
      liabilities: capital.liabilities,
    },
    cash.target,
    cash.min,
    rng,
  );
  return { result, position: next, carry: { sales, lastProfit: profit, lossCarry }, profit };
}

/** Result groups in ascending order, zeros left out. */
function resultGroups(result: ResultSlots): ResultGroups {
  const out: ResultGroups = {};
  for (let g = 30; g <= 89; g += 1) {
    const amount = result[g] ?? 0;
    if (amount !== 0) out[GROUP_KEYS[g] ?? String(g)] = amount;
  }
  return out;
}

/** ib/ub per balance group 10–29, in ascending order; groups zero in both are left out. */
function balanceGroups(ib: Record<string, number>, ub: Record<string, number>): BalanceGroups {
  const out: BalanceGroups = {};
  for (let g = 10; g <= 29; g += 1) {
    const group = GROUP_KEYS[g] ?? String(g);
    const opening = ib[group] ?? 0;
    const closing = ub[group] ?? 0;
    if (opening !== 0 || closing !== 0) out[group] = { ib: opening, ub: closing };
  }
  return out;
}

/**
 * Simulates the company over a warm-up year (not returned; it gives the first year a
 * realistic ib) and then each fiscal year in `years`. Startups begin with the first year.
 */
export function simulateBooks(
  traits: CompanyTraits,
  years: readonly FiscalYearSpan[],
  rng: Rng,
): DemoBooksYear[] {
  let position = openingPosition(traits, rng);
  let carry: Carry = {
    sales: traits.baseSales,
    lastProfit: Math.max(0, toOre(traits.baseSales * traits.margin * 0.7)),
    lossCarry: position.equity < 0 ? -position.equity : 0,
  };
  let ib: Record<string, number> = closingBalances(position, 0);
  const warmUp = traits.mode === 'startup' ? [] : [{ start: '', end: '' }];
  const out: DemoBooksYear[] = [];
  [...warmUp, ...years].forEach((span, index) => {
    const age = index - warmUp.length;
    const taxSpan = span.start === '' ? (years[0] ?? span) : span;
    const year = simulateYear(traits, position, carry, { span: taxSpan, age }, rng);
    const ub = closingBalances(year.position, year.profit);
    if (age >= 0) {
      out.push({
        start: span.start,
        end: span.end,
        balance: balanceGroups(ib, ub),
        result: resultGroups(year.result),
      });
    }
    position = year.position;
    carry = year.carry;
    ib = ub;
  });
  return out;
}
