import { COUNTY_CODES, EMPLOYEE_BANDS, type CountyCode } from '../../../domain/profile';
import { SNI_DIVISIONS } from '../../../domain/sni';
import { ARCHETYPES, archetypeOfDivision, type Archetype } from './archetypes';
import { BOOKKEEPING_ASSUMPTIONS } from './books';
import {
  COUNTY_POPULATION,
  DIVISION_MIX,
  EMPLOYEE_BAND_RANGES,
  EMPLOYEE_BAND_WEIGHTS,
  MIN_ENTITIES_PER_DIVISION_SHARE,
} from './industry-mix';
import {
  DORMANT_SHARE,
  EMPLOYEES_NEVER_STATED,
  EMPLOYEES_YEAR_BLANK,
  HOLDING_BAND_TILT,
  HOLDING_GROUP,
  STARTUP_SHARE,
} from './population';

/**
 * Renders the assumption tables of docs/DEMO-DATA.md from the very constants the generator
 * uses, so the documentation cannot drift from the code (a unit test compares them).
 * `npx tsx server/finance/demo/docs.ts` prints the Markdown.
 */

const sek = (amount: number): string =>
  Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

const percent = (share: number): string => `${Number((share * 100).toFixed(2))} %`;

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

function archetypeTable(archetype: Archetype): string {
  const otherTotal = Object.values(archetype.otherCosts).reduce((a, b) => a + (b ?? 0), 0);
  const others = Object.entries(archetype.otherCosts)
    .map(([group, weight]) => `${group}: ${percent((weight ?? 0) / otherTotal)}`)
    .join(', ');
  const fixed = archetype.fixedAssets;
  const rows: [string, string][] = [
    ['SNI divisions', archetype.divisions.join(', ')],
    ['net sales per employee (median)', `${sek(archetype.salesPerEmployee)} SEK`],
    ['net sales without employees (median)', `${sek(archetype.soloSales)} SEK`],
    ['log-sd of net sales', String(archetype.salesSigma)],
    ['employee-band tilt', String(archetype.bandTilt)],
    [
      'yearly growth (log rate)',
      `${percent(archetype.growth.mean)} ± ${percent(archetype.growth.sd)}`,
    ],
    [
      'EBITDA margin',
      `${percent(archetype.ebitdaMargin.mean)} ± ${percent(archetype.ebitdaMargin.sd)}`,
    ],
    [
      'operating costs: goods 40–49 / personnel 70–76 / premises 50 / other 51–69',
      [
        archetype.costMix.goods,
        archetype.costMix.personnel,
        archetype.costMix.premises,
        archetype.costMix.other,
      ]
        .map(percent)
        .join(' / '),
    ],
    ['goods costs bought as subcontracting (46)', percent(archetype.subcontracting)],
    ['other external costs by group', others],
    ['wages to hourly workers (70) vs salaried (72)', percent(archetype.hourlyWageShare)],
    [
      'fixed assets × net sales: intangible 10 / buildings 11 / machinery 12 / financial 13',
      [fixed.intangible, fixed.buildings, fixed.machinery, fixed.financial].map(String).join(' / '),
    ],
    ['depreciation of machinery per year', percent(archetype.machineryDepreciation)],
    [
      'inventory 14 (days of goods costs)',
      archetype.inventoryDays === 0 ? 'none' : String(archetype.inventoryDays),
    ],
    ['trade receivables 15 (days of net sales)', String(archetype.receivableDays)],
    ['trade payables 24 (days of external costs)', String(archetype.payableDays)],
    ['cash 19 (days of net sales)', String(archetype.cashDays)],
    [
      'opening equity ratio',
      `${percent(archetype.equityRatio.mean)} ± ${percent(archetype.equityRatio.sd)}`,
    ],
    ['investments financed by long-term loans (23)', percent(archetype.debtFinancing)],
  ];
  return `### ${archetype.name}\n\n${table(['assumption', 'value'], rows)}`;
}

function divisionTable(): string {
  const total = Object.values(DIVISION_MIX).reduce((sum, mix) => sum + mix.weight, 0);
  return table(
    ['division', 'name', 'weight', 'share', '3-digit groups', 'archetype'],
    SNI_DIVISIONS.map((division) => {
      const mix = DIVISION_MIX[division.code];
      return [
        division.code,
        division.name.en,
        String(mix?.weight ?? 0),
        percent((mix?.weight ?? 0) / total),
        [...(mix?.groups ?? '')]
          .map((digit) => {
            const weight = mix?.groupWeights?.[digit];
            return `${division.code}${digit}${weight === undefined ? '' : ` (×${weight})`}`;
          })
          .join(', '),
        archetypeOfDivision(division.code)?.name ?? '—',
      ];
    }),
  );
}

function bandTable(): string {
  return table(
    ['band', 'head counts', 'base weight'],
    EMPLOYEE_BANDS.map((band) => {
      const [lo, hi] = EMPLOYEE_BAND_RANGES[band];
      return [band, lo === hi ? String(lo) : `${lo}–${hi}`, percent(EMPLOYEE_BAND_WEIGHTS[band])];
    }),
  );
}

function countyTable(): string {
  const codes = Object.keys(COUNTY_CODES) as CountyCode[];
  const total = codes.reduce((sum, code) => sum + COUNTY_POPULATION[code], 0);
  return table(
    ['county', 'name', 'population (thousands)', 'share'],
    codes.map((code) => [
      code,
      COUNTY_CODES[code],
      String(COUNTY_POPULATION[code]),
      percent(COUNTY_POPULATION[code] / total),
    ]),
  );
}

function bookkeepingTable(): string {
  const a = BOOKKEEPING_ASSUMPTIONS;
  const rows: [string, string][] = [
    ['employer contributions on wages (75)', percent(a.employerContributions)],
    ['pension premiums on wages (74)', percent(a.pensionRate)],
    ['special payroll tax on pension premiums (75)', percent(a.pensionPayrollTax)],
    ['benefits on wages (73), booked by half of the companies', percent(a.benefitsRate)],
    ['other personnel costs on wages (76), booked by 60 %', percent(a.otherPersonnelRate)],
    ['withheld income tax owed for one month (27)', percent(a.withholdingRate)],
    ['VAT on value added, owed for 1.5 months (26)', percent(a.vatRate)],
    ['interest on cash (83)', percent(a.depositRate)],
    ['interest on loans (84)', `${percent(a.loanRate.mean)} ± ${percent(a.loanRate.sd)}`],
    [
      'amortisation of long-term loans per year',
      `${percent(a.amortisation[0])}–${percent(a.amortisation[1])}`,
    ],
    ['depreciation of buildings (11) per year', percent(a.buildingDepreciation)],
    ['depreciation of intangible assets (10) per year', percent(a.intangibleDepreciation)],
    ['share capital', `${sek(a.shareCapital)} SEK`],
    ['largest allocation to periodiseringsfond (21)', percent(a.maxReserveAllocation)],
    ['companies using periodiseringsfonder', percent(a.reserveUsers)],
    ['companies paying dividends (holding companies: 80 %)', percent(a.dividendPayers)],
    ['yearly chance owners restore negative equity', percent(a.equityRescue)],
    ['yearly chance of an impairment (77) of machinery', percent(a.impairment)],
    ['accrued vacation pay and similar (29), share of wages', percent(a.accruedWageShare)],
    ['startups (no sales in the first year)', percent(STARTUP_SHARE)],
    ['dormant companies (no sales at all)', percent(DORMANT_SHARE)],
    [`holding companies (SNI ${HOLDING_GROUP}): employee-band tilt`, String(HOLDING_BAND_TILT)],
    ['companies that never state a head count', percent(EMPLOYEES_NEVER_STATED)],
    ['single years without a stated head count', percent(EMPLOYEES_YEAR_BLANK)],
    ['minimum share of the population per SNI division', percent(MIN_ENTITIES_PER_DIVISION_SHARE)],
  ];
  return table(['assumption', 'value'], rows);
}

/** Every generated table of docs/DEMO-DATA.md, in document order. */
export function renderDemoDataTables(): string {
  return [
    '## Bookkeeping assumptions',
    bookkeepingTable(),
    '## Archetypes',
    ...ARCHETYPES.map(archetypeTable),
    '## Industry mix',
    divisionTable(),
    '## Employee bands',
    bandTable(),
    '## Counties',
    countyTable(),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${renderDemoDataTables()}\n`);
}
