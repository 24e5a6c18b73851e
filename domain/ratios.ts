/**
 * The ratio catalogue (DESIGN §7): every key ratio and cost item Nyckel benchmarks, with its
 * Swedish and English name, explanation and formula, unit, direction and category — and the one
 * implementation of each formula ({@link computeMetrics}). UI, server statistics, CLI and report
 * all read this file; nothing else computes a ratio.
 *
 * Conventions the design leaves open (each is also stated in the metric's explanation):
 * - Balance-sheet figures are year-end (ub) values.
 * - A flow compared with a stock or a head count (returns, days, turnover, per employee) and
 *   net sales in growth are annualised to 12 months when the fiscal year is shorter or longer
 *   (× 12 / months); flow-to-flow ratios (margins, shares) need no annualisation.
 * - A denominator that is zero or negative makes the ratio ABSENT (never 0, NaN or Infinity):
 *   zero or negative net sales remove every net-sales-based ratio (including net sales per
 *   employee); adjusted equity ≤ 0 removes
 *   return on equity and debt/equity; a missing, zero or negative head count removes every
 *   per-employee figure; no previous year removes growth. The equity ratio stays present (and
 *   negative) when equity is negative, as long as total assets are positive.
 */
import { BAS_GROUP_NAMES } from './bas-groups.ts';
import type { YearFigures, YearInput } from './figures.ts';
import {
  figuresFromSums,
  fiscalYearMonths,
  groupSek,
  groupSums,
  isoDayMs,
  netSalesOf,
} from './figures.ts';

export type { YearFigures, YearInput } from './figures.ts';
export { yearFigures } from './figures.ts';

export type MetricUnit = 'ratio' | 'sek' | 'days' | 'times';
export type MetricDirection = 'higher' | 'lower';
export type MetricCategory =
  'growth' | 'profitability' | 'liquidity' | 'solidity' | 'efficiency' | 'costs';

export interface LocalisedText {
  sv: string;
  en: string;
}

/** The BAS groups benchmarked as cost items: other external costs 50–69 and personnel 70–76. */
export const COST_GROUPS = [
  '50',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '59',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '67',
  '68',
  '69',
  '70',
  '71',
  '72',
  '73',
  '74',
  '75',
  '76',
] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

/** The key ratios, in catalogue (display) order. */
export const KEY_RATIO_IDS = [
  'growth',
  'gross_margin',
  'ebitda_margin',
  'operating_margin',
  'profit_margin',
  'net_margin',
  'return_on_assets',
  'return_on_equity',
  'quick_ratio',
  'current_ratio',
  'equity_ratio',
  'debt_equity',
  'personnel_cost_share',
  'revenue_per_employee',
  'personnel_cost_per_employee',
  'receivable_days',
  'payable_days',
  'inventory_turnover',
] as const;
export type KeyRatioId = (typeof KEY_RATIO_IDS)[number];
export type CostShareId = `cost_share_${CostGroup}`;
export type CostPerEmployeeId = `cost_per_employee_${CostGroup}`;
export type MetricId = KeyRatioId | CostShareId | CostPerEmployeeId;

export interface MetricDefinition {
  id: MetricId;
  category: MetricCategory;
  unit: MetricUnit;
  direction: MetricDirection;
  name: LocalisedText;
  explanation: LocalisedText;
  /** Human readable, e.g. "Rörelseresultat / nettoomsättning". */
  formula: LocalisedText;
  needsEmployees: boolean;
  needsPreviousYear: boolean;
  /** For cost items: the BAS 2-digit group, e.g. '50'. */
  group?: string;
}

type KeyRatioDefinition = Omit<MetricDefinition, 'id' | 'group'>;

const ANNUALISED_SV =
  'Vid ett räkenskapsår som är kortare eller längre än 12 månader räknas beloppet om till 12 månader.';
const ANNUALISED_EN =
  'For a fiscal year shorter or longer than 12 months the amount is annualised to 12 months.';
const NO_SALES_SV = 'Saknas när nettoomsättningen är noll eller negativ.';
const NO_SALES_EN = 'Absent when net sales are zero or negative.';
const NO_EMPLOYEES_SV = 'Saknas när antalet anställda inte är angivet eller är noll.';
const NO_EMPLOYEES_EN = 'Absent when the number of employees is not stated or is zero.';
const ADJUSTED_EQUITY_SV =
  'Justerat eget kapital = eget kapital (kontogrupp 20, plus årets resultat om det ännu inte är bokfört) + obeskattade reserver (kontogrupp 21) efter avdrag för bolagsskatt enligt räkenskapsårets skattesats.';
const ADJUSTED_EQUITY_EN =
  'Adjusted equity = equity (group 20, plus the year result when not yet booked) + untaxed reserves (group 21) net of corporate tax at the fiscal year’s rate.';

const KEY_RATIOS: Readonly<Record<KeyRatioId, KeyRatioDefinition>> = {
  growth: {
    category: 'growth',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Tillväxt', en: 'Sales growth' },
    formula: {
      sv: 'Nettoomsättning / föregående års nettoomsättning − 1',
      en: 'Net sales / previous year’s net sales − 1',
    },
    explanation: {
      sv: `Hur mycket nettoomsättningen (kontogrupp 30–37) har ökat jämfört med föregående räkenskapsår. Vid ett räkenskapsår som är kortare eller längre än 12 månader räknas båda årens omsättning om till 12 månader före jämförelsen. Saknas när föregående år saknas eller när något av årens nettoomsättning är noll eller negativ.`,
      en: `How much net sales (groups 30–37) grew compared with the previous fiscal year. When a fiscal year is shorter or longer than 12 months, both years’ sales are annualised to 12 months before comparing. Absent when there is no previous year or when either year’s net sales are zero or negative.`,
    },
    needsEmployees: false,
    needsPreviousYear: true,
  },
  gross_margin: {
    category: 'profitability',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Bruttomarginal', en: 'Gross margin' },
    formula: { sv: 'Bruttoresultat / nettoomsättning', en: 'Gross profit / net sales' },
    explanation: {
      sv: `Den andel av nettoomsättningen som blir kvar efter kostnaden för sålda varor, material och underentreprenader inklusive lagerförändring (kontogrupp 40–49). ${NO_SALES_SV}`,
      en: `The share of net sales left after the cost of goods, materials and subcontracting including the change in inventory (groups 40–49). ${NO_SALES_EN}`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  ebitda_margin: {
    category: 'profitability',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'EBITDA-marginal', en: 'EBITDA margin' },
    formula: {
      sv: '(Rörelseresultat + av- och nedskrivningar) / nettoomsättning',
      en: '(Operating profit + depreciation and impairment) / net sales',
    },
    explanation: {
      sv: `Rörelseresultatet före av- och nedskrivningar (kontogrupp 77–78) i procent av nettoomsättningen. Visar vad rörelsen genererar oberoende av hur tillgångarna skrivs av. ${NO_SALES_SV}`,
      en: `Operating profit before depreciation and impairment (groups 77–78) as a share of net sales. Shows what operations generate regardless of how assets are written off. ${NO_SALES_EN}`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  operating_margin: {
    category: 'profitability',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Rörelsemarginal', en: 'Operating margin' },
    formula: { sv: 'Rörelseresultat / nettoomsättning', en: 'Operating profit / net sales' },
    explanation: {
      sv: `Rörelseresultatet (resultatet före finansiella poster, kontogrupp 30–79) i procent av nettoomsättningen: hur mycket av varje försäljningskrona som blir kvar efter rörelsens kostnader. ${NO_SALES_SV}`,
      en: `Operating profit (result before financial items, groups 30–79) as a share of net sales: how much of each krona of sales remains after operating costs. ${NO_SALES_EN}`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  profit_margin: {
    category: 'profitability',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Vinstmarginal', en: 'Profit margin' },
    formula: {
      sv: 'Resultat efter finansiella poster / nettoomsättning',
      en: 'Result after financial items / net sales',
    },
    explanation: {
      sv: `Resultatet efter finansiella poster (kontogrupp 30–87), före bokslutsdispositioner och skatt, i procent av nettoomsättningen. ${NO_SALES_SV}`,
      en: `Result after financial items (groups 30–87), before appropriations and tax, as a share of net sales. ${NO_SALES_EN}`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  net_margin: {
    category: 'profitability',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Nettomarginal', en: 'Net margin' },
    formula: { sv: 'Årets resultat / nettoomsättning', en: 'Net result for the year / net sales' },
    explanation: {
      sv: `Årets resultat efter bokslutsdispositioner och skatt (kontogrupp 30–89) i procent av nettoomsättningen. ${NO_SALES_SV}`,
      en: `Net result for the year after appropriations and tax (groups 30–89) as a share of net sales. ${NO_SALES_EN}`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  return_on_assets: {
    category: 'profitability',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Avkastning på totalt kapital', en: 'Return on total assets' },
    formula: {
      sv: '(Rörelseresultat + finansiella intäkter) / balansomslutning',
      en: '(Operating profit + financial income) / total assets',
    },
    explanation: {
      sv: `Hur väl alla tillgångar förräntas oberoende av hur de är finansierade: rörelseresultat plus finansiella intäkter (kontogrupp 80–83) i förhållande till balansomslutningen vid årets slut (kontogrupp 10–19). ${ANNUALISED_SV} Saknas när balansomslutningen är noll eller negativ.`,
      en: `How well all assets earn regardless of how they are financed: operating profit plus financial income (groups 80–83) relative to total assets at year end (groups 10–19). ${ANNUALISED_EN} Absent when total assets are zero or negative.`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  return_on_equity: {
    category: 'profitability',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Avkastning på eget kapital', en: 'Return on equity' },
    formula: {
      sv: 'Resultat efter finansiella poster / justerat eget kapital',
      en: 'Result after financial items / adjusted equity',
    },
    explanation: {
      sv: `Förräntningen av ägarnas kapital före bokslutsdispositioner och skatt, mätt mot det justerade egna kapitalet vid årets slut. ${ADJUSTED_EQUITY_SV} ${ANNUALISED_SV} Saknas när det justerade egna kapitalet är noll eller negativt, eftersom kvoten då saknar mening.`,
      en: `The return on the owners’ capital before appropriations and tax, measured against adjusted equity at year end. ${ADJUSTED_EQUITY_EN} ${ANNUALISED_EN} Absent when adjusted equity is zero or negative, because the quotient is then meaningless.`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  quick_ratio: {
    category: 'liquidity',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Kassalikviditet', en: 'Quick ratio' },
    formula: {
      sv: '(Omsättningstillgångar − varulager) / kortfristiga skulder',
      en: '(Current assets − inventory) / current liabilities',
    },
    explanation: {
      sv: 'Förmågan att betala de kortfristiga skulderna med de mest lättillgängliga tillgångarna: omsättningstillgångar utom lager (kontogrupp 15–19) i förhållande till kortfristiga skulder (kontogrupp 24–29), båda vid årets slut. 100 % betyder att skulderna täcks precis. Saknas när de kortfristiga skulderna är noll eller negativa.',
      en: 'The ability to pay current liabilities with the most liquid assets: current assets excluding inventory (groups 15–19) relative to current liabilities (groups 24–29), both at year end. 100 % means the liabilities are exactly covered. Absent when current liabilities are zero or negative.',
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  current_ratio: {
    category: 'liquidity',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Balanslikviditet', en: 'Current ratio' },
    formula: {
      sv: 'Omsättningstillgångar / kortfristiga skulder',
      en: 'Current assets / current liabilities',
    },
    explanation: {
      sv: 'Omsättningstillgångar inklusive lager (kontogrupp 14–19) i förhållande till kortfristiga skulder (kontogrupp 24–29), båda vid årets slut. Saknas när de kortfristiga skulderna är noll eller negativa.',
      en: 'Current assets including inventory (groups 14–19) relative to current liabilities (groups 24–29), both at year end. Absent when current liabilities are zero or negative.',
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  equity_ratio: {
    category: 'solidity',
    unit: 'ratio',
    direction: 'higher',
    name: { sv: 'Soliditet', en: 'Equity ratio' },
    formula: {
      sv: 'Justerat eget kapital / balansomslutning',
      en: 'Adjusted equity / total assets',
    },
    explanation: {
      sv: `Hur stor del av tillgångarna som är finansierad med eget kapital, vid årets slut. ${ADJUSTED_EQUITY_SV} Blir negativ när det egna kapitalet är negativt. Saknas när balansomslutningen är noll eller negativ.`,
      en: `How much of the assets is financed by equity, at year end. ${ADJUSTED_EQUITY_EN} Negative when equity is negative. Absent when total assets are zero or negative.`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  debt_equity: {
    category: 'solidity',
    unit: 'times',
    direction: 'lower',
    name: { sv: 'Skuldsättningsgrad', en: 'Debt-to-equity ratio' },
    formula: {
      sv: '(Avsättningar och skulder + skatt i obeskattade reserver) / justerat eget kapital',
      en: '(Provisions and liabilities + tax in untaxed reserves) / adjusted equity',
    },
    explanation: {
      sv: `Antal kronor skulder per krona justerat eget kapital vid årets slut. Skulderna är avsättningar, långfristiga och kortfristiga skulder (kontogrupp 22–29) plus den uppskjutna skatten i obeskattade reserver. ${ADJUSTED_EQUITY_SV} Saknas när det justerade egna kapitalet är noll eller negativt.`,
      en: `Kronor of debt per krona of adjusted equity at year end. Debt is provisions, long-term and current liabilities (groups 22–29) plus the deferred tax in untaxed reserves. ${ADJUSTED_EQUITY_EN} Absent when adjusted equity is zero or negative.`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  personnel_cost_share: {
    category: 'efficiency',
    unit: 'ratio',
    direction: 'lower',
    name: { sv: 'Personalkostnadsandel', en: 'Personnel cost share' },
    formula: { sv: 'Personalkostnader / nettoomsättning', en: 'Personnel costs / net sales' },
    explanation: {
      sv: `Personalkostnader (kontogrupp 70–76: löner, förmåner, pensioner och sociala avgifter) i procent av nettoomsättningen. ${NO_SALES_SV}`,
      en: `Personnel costs (groups 70–76: wages, benefits, pensions and social security contributions) as a share of net sales. ${NO_SALES_EN}`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  revenue_per_employee: {
    category: 'efficiency',
    unit: 'sek',
    direction: 'higher',
    name: { sv: 'Omsättning per anställd', en: 'Net sales per employee' },
    formula: { sv: 'Nettoomsättning / antal anställda', en: 'Net sales / employees' },
    explanation: {
      sv: `Nettoomsättning i kronor per anställd, med det antal anställda som ni har angett. ${ANNUALISED_SV} ${NO_EMPLOYEES_SV} ${NO_SALES_SV}`,
      en: `Net sales in SEK per employee, using the number of employees you stated. ${ANNUALISED_EN} ${NO_EMPLOYEES_EN} ${NO_SALES_EN}`,
    },
    needsEmployees: true,
    needsPreviousYear: false,
  },
  personnel_cost_per_employee: {
    category: 'efficiency',
    unit: 'sek',
    direction: 'lower',
    name: { sv: 'Personalkostnad per anställd', en: 'Personnel cost per employee' },
    formula: { sv: 'Personalkostnader / antal anställda', en: 'Personnel costs / employees' },
    explanation: {
      sv: `Personalkostnader (kontogrupp 70–76) i kronor per anställd. ${ANNUALISED_SV} ${NO_EMPLOYEES_SV}`,
      en: `Personnel costs (groups 70–76) in SEK per employee. ${ANNUALISED_EN} ${NO_EMPLOYEES_EN}`,
    },
    needsEmployees: true,
    needsPreviousYear: false,
  },
  receivable_days: {
    category: 'efficiency',
    unit: 'days',
    direction: 'lower',
    name: { sv: 'Kundfordringsdagar', en: 'Receivable days' },
    formula: {
      sv: 'Kundfordringar / nettoomsättning × 365',
      en: 'Trade receivables / net sales × 365',
    },
    explanation: {
      sv: `Hur många dagar det i genomsnitt dröjer innan kunderna betalar: kundfordringar vid årets slut (kontogrupp 15) i förhållande till nettoomsättningen, uttryckt i dagar. ${ANNUALISED_SV} ${NO_SALES_SV}`,
      en: `How many days customers take to pay on average: trade receivables at year end (group 15) relative to net sales, in days. ${ANNUALISED_EN} ${NO_SALES_EN}`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  payable_days: {
    category: 'efficiency',
    unit: 'days',
    direction: 'higher',
    name: { sv: 'Leverantörsskulddagar', en: 'Payable days' },
    formula: {
      sv: 'Kortfristiga skulder i kontogrupp 24 / inköp (kontogrupp 40–69) × 365',
      en: 'Current liabilities in group 24 / purchases (groups 40–69) × 365',
    },
    explanation: {
      sv: `Hur många dagars kredit leverantörerna i genomsnitt ger. Eftersom bara tvåsiffriga kontogrupper lämnar enheten används hela kontogrupp 24 vid årets slut (leverantörsskulder, men också kortfristiga lån från kreditinstitut och förskott från kunder) i förhållande till årets inköp av varor och externa tjänster (kontogrupp 40–69). Längre kredit frigör rörelsekapital och räknas därför som bättre. ${ANNUALISED_SV} Saknas när inköpen är noll eller negativa.`,
      en: `How many days of credit suppliers give on average. Because only 2-digit account groups leave the device, all of group 24 at year end is used (trade payables, but also short-term bank loans and customer advances) relative to the year’s purchases of goods and external services (groups 40–69). Longer credit frees working capital and so counts as better. ${ANNUALISED_EN} Absent when purchases are zero or negative.`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
  inventory_turnover: {
    category: 'efficiency',
    unit: 'times',
    direction: 'higher',
    name: { sv: 'Lageromsättningshastighet', en: 'Inventory turnover' },
    formula: {
      sv: 'Varukostnad (kontogrupp 40–49) / varulager',
      en: 'Cost of goods (groups 40–49) / inventory',
    },
    explanation: {
      sv: `Hur många gånger per år lagret omsätts: kostnaden för sålda varor inklusive lagerförändring (kontogrupp 40–49) i förhållande till lagret vid årets slut (kontogrupp 14). ${ANNUALISED_SV} Saknas när lagret är noll eller negativt eller när varukostnaden är negativ.`,
      en: `How many times a year inventory turns over: the cost of goods sold including the change in inventory (groups 40–49) relative to inventory at year end (group 14). ${ANNUALISED_EN} Absent when inventory is zero or negative or when the cost of goods is negative.`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
  },
};

function groupName(group: CostGroup): LocalisedText {
  const name = BAS_GROUP_NAMES[group];
  return name === undefined ? { sv: group, en: group } : { sv: name.sv, en: name.en };
}

function costShareDefinition(group: CostGroup): MetricDefinition {
  const name = groupName(group);
  return {
    id: `cost_share_${group}`,
    category: 'costs',
    unit: 'ratio',
    direction: 'lower',
    name: {
      sv: `${group} ${name.sv}, andel av nettoomsättning`,
      en: `${group} ${name.en}, share of net sales`,
    },
    formula: {
      sv: `Kontogrupp ${group} / nettoomsättning`,
      en: `Group ${group} / net sales`,
    },
    explanation: {
      sv: `Kostnaderna i kontogrupp ${group} (${name.sv}) i procent av nettoomsättningen. Lägre är bättre vid jämförbar verksamhet. ${NO_SALES_SV}`,
      en: `Costs in group ${group} (${name.en}) as a share of net sales. Lower is better for comparable operations. ${NO_SALES_EN}`,
    },
    needsEmployees: false,
    needsPreviousYear: false,
    group,
  };
}

function costPerEmployeeDefinition(group: CostGroup): MetricDefinition {
  const name = groupName(group);
  return {
    id: `cost_per_employee_${group}`,
    category: 'costs',
    unit: 'sek',
    direction: 'lower',
    name: {
      sv: `${group} ${name.sv} per anställd`,
      en: `${group} ${name.en} per employee`,
    },
    formula: {
      sv: `Kontogrupp ${group} / antal anställda`,
      en: `Group ${group} / employees`,
    },
    explanation: {
      sv: `Kostnaderna i kontogrupp ${group} (${name.sv}) i kronor per anställd. Lägre är bättre vid jämförbar verksamhet. ${ANNUALISED_SV} ${NO_EMPLOYEES_SV}`,
      en: `Costs in group ${group} (${name.en}) in SEK per employee. Lower is better for comparable operations. ${ANNUALISED_EN} ${NO_EMPLOYEES_EN}`,
    },
    needsEmployees: true,
    needsPreviousYear: false,
    group,
  };
}

/** The whole catalogue in display order: key ratios, then cost shares, then costs per employee. */
export const METRICS: readonly MetricDefinition[] = [
  ...KEY_RATIO_IDS.map((id): MetricDefinition => ({ id, ...KEY_RATIOS[id] })),
  ...COST_GROUPS.map(costShareDefinition),
  ...COST_GROUPS.map(costPerEmployeeDefinition),
];

export const METRIC_IDS: readonly MetricId[] = METRICS.map((m) => m.id);

const METRIC_BY_ID: ReadonlyMap<string, MetricDefinition> = new Map(METRICS.map((m) => [m.id, m]));

export function metricById(id: string): MetricDefinition | undefined {
  return METRIC_BY_ID.get(id);
}

export function isMetricId(id: string): id is MetricId {
  return METRIC_BY_ID.has(id);
}

// ---------------------------------------------------------------------------------------------
// Formulas

interface YearContext {
  readonly figures: YearFigures;
  /** Result group sums in öre, indexed by group number (for the cost items). */
  readonly result: Float64Array;
  /** 12 / months of the fiscal year; undefined when its dates are invalid. */
  readonly annualFactor: number | undefined;
  /** Positive head count, else undefined. */
  readonly employees: number | undefined;
}

const DAYS_IN_YEAR = 365;

/** What growth needs of the previous year: its net sales and length. */
interface PreviousYearContext {
  readonly netSales: number;
  readonly annualFactor: number | undefined;
}

function annualFactorOf(year: YearInput): number | undefined {
  const months = fiscalYearMonths(year);
  return months === undefined ? undefined : 12 / months;
}

function yearContext(year: YearInput): YearContext {
  const sums = groupSums(year);
  const employees = year.employees;
  return {
    figures: figuresFromSums(sums, year.start),
    result: sums.result,
    annualFactor: annualFactorOf(year),
    employees: employees !== null && employees > 0 ? employees : undefined,
  };
}

function previousYearContext(year: YearInput): PreviousYearContext {
  return { netSales: netSalesOf(year), annualFactor: annualFactorOf(year) };
}

/** numerator / denominator when the denominator is positive, else absent. */
function over(numerator: number, denominator: number): number | undefined {
  return denominator > 0 ? numerator / denominator : undefined;
}

/** The flow annualised to 12 months, when the fiscal year's length is known. */
function annualised(flow: number, c: Pick<YearContext, 'annualFactor'>): number | undefined {
  return c.annualFactor === undefined ? undefined : flow * c.annualFactor;
}

function perEmployee(flow: number, c: YearContext): number | undefined {
  const yearly = annualised(flow, c);
  return yearly === undefined || c.employees === undefined ? undefined : yearly / c.employees;
}

/** Days of annualised flow that the stock represents (stock / yearly flow × 365). */
function daysOf(stock: number, flow: number, c: YearContext): number | undefined {
  const yearly = annualised(flow, c);
  if (yearly === undefined) return undefined;
  const share = over(stock, yearly);
  return share === undefined ? undefined : share * DAYS_IN_YEAR;
}

/** Net-sales-based ratio: absent unless net sales are positive. */
function ofSales(amount: number, c: YearContext): number | undefined {
  return over(amount, c.figures.netSales);
}

/** Cost items with their ids built once (computeMetrics runs for every stored year). */
const COST_ITEMS: ReadonlyArray<{
  readonly group: number;
  readonly shareId: CostShareId;
  readonly perEmployeeId: CostPerEmployeeId;
}> = COST_GROUPS.map((group) => ({
  group: Number(group),
  shareId: `cost_share_${group}`,
  perEmployeeId: `cost_per_employee_${group}`,
}));

type Formula = (
  current: YearContext,
  previous: PreviousYearContext | undefined,
) => number | undefined;

const KEY_RATIO_FORMULAS: Readonly<Record<KeyRatioId, Formula>> = {
  growth: (c, p) => {
    if (p === undefined || c.figures.netSales <= 0) return undefined;
    const now = annualised(c.figures.netSales, c);
    const before = annualised(p.netSales, p);
    if (now === undefined || before === undefined) return undefined;
    const factor = over(now, before);
    return factor === undefined ? undefined : factor - 1;
  },
  gross_margin: (c) => ofSales(c.figures.grossProfit, c),
  ebitda_margin: (c) => ofSales(c.figures.ebitda, c),
  operating_margin: (c) => ofSales(c.figures.ebit, c),
  profit_margin: (c) => ofSales(c.figures.resultAfterFinancialItems, c),
  net_margin: (c) => ofSales(c.figures.yearResult, c),
  return_on_assets: (c) => {
    const profit = annualised(c.figures.ebit + c.figures.financialIncome, c);
    return profit === undefined ? undefined : over(profit, c.figures.totalAssets);
  },
  return_on_equity: (c) => {
    const profit = annualised(c.figures.resultAfterFinancialItems, c);
    return profit === undefined ? undefined : over(profit, c.figures.adjustedEquity);
  },
  quick_ratio: (c) =>
    over(c.figures.currentAssets - c.figures.inventory, c.figures.currentLiabilities),
  current_ratio: (c) => over(c.figures.currentAssets, c.figures.currentLiabilities),
  equity_ratio: (c) => over(c.figures.adjustedEquity, c.figures.totalAssets),
  debt_equity: (c) =>
    over(
      c.figures.liabilities + c.figures.taxRate * c.figures.untaxedReserves,
      c.figures.adjustedEquity,
    ),
  personnel_cost_share: (c) => ofSales(c.figures.personnelCosts, c),
  revenue_per_employee: (c) =>
    c.figures.netSales > 0 ? perEmployee(c.figures.netSales, c) : undefined,
  personnel_cost_per_employee: (c) => perEmployee(c.figures.personnelCosts, c),
  receivable_days: (c) =>
    c.figures.netSales > 0 ? daysOf(c.figures.receivables, c.figures.netSales, c) : undefined,
  payable_days: (c) =>
    daysOf(c.figures.payables, c.figures.goodsCosts + c.figures.externalCosts, c),
  inventory_turnover: (c) => {
    if (c.figures.goodsCosts < 0) return undefined;
    const yearly = annualised(c.figures.goodsCosts, c);
    return yearly === undefined ? undefined : over(yearly, c.figures.inventory);
  },
};

/**
 * Every metric that can be computed for `current` (with `previous` for growth). Only finite
 * values; a figure that cannot be computed is ABSENT (never 0, NaN or Infinity).
 */
export function computeMetrics(
  current: YearInput,
  previous?: YearInput,
): Partial<Record<MetricId, number>> {
  const c = yearContext(current);
  const p = previous === undefined ? undefined : previousYearContext(previous);
  const out: Partial<Record<MetricId, number>> = {};
  const put = (id: MetricId, value: number | undefined): void => {
    // `+ 0` turns −0 into 0 so that stored values compare and print cleanly.
    if (value !== undefined && Number.isFinite(value)) out[id] = value + 0;
  };
  for (const id of KEY_RATIO_IDS) put(id, KEY_RATIO_FORMULAS[id](c, p));
  for (const item of COST_ITEMS) {
    const cost = groupSek(c.result, item.group);
    put(item.shareId, ofSales(cost, c));
    put(item.perEmployeeId, perEmployee(cost, c));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Years

const DAY_MS = 86_400_000;
const PREVIOUS_YEAR_TOLERANCE_DAYS = 31;

/**
 * The entity's year that directly precedes `current`: it ends the day before `current` starts,
 * give or take 31 days (gaps or overlaps after a changed fiscal year). The closest one wins.
 */
export function previousYearOf<T extends YearInput>(
  years: readonly T[],
  current: T,
): T | undefined {
  const start = isoDayMs(current.start);
  if (start === undefined) return undefined;
  let best: { year: T; distance: number } | undefined;
  for (const year of years) {
    if (year === current) continue;
    const end = isoDayMs(year.end);
    const yearStart = isoDayMs(year.start);
    if (end === undefined || yearStart === undefined || yearStart >= start) continue;
    const distance = Math.abs(start - DAY_MS - end) / DAY_MS;
    if (distance > PREVIOUS_YEAR_TOLERANCE_DAYS) continue;
    if (best === undefined || distance < best.distance) best = { year, distance };
  }
  return best?.year;
}

/** Fiscal year number used for peer groups: the calendar year in which the fiscal year ENDS. */
export function fiscalYearOf(year: { end: string }): number {
  return Number(year.end.slice(0, 4));
}
