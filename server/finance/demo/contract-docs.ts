import { contractCategory, PRICE_MODEL_NAMES } from '../../../domain/contracts';
import { COUNTY_CODES, type CountyCode } from '../../../domain/profile';
import {
  DEMO_CONTRACT_ASSUMPTIONS,
  DEMO_ELECTRICITY_MODELS,
  DEMO_ELECTRICITY_PRICE_FACTOR,
  DEMO_ENERGY_INTENSITY,
  DEMO_FIXED_ELECTRICITY_SHARE,
  DEMO_INDEXED_RENT_SHARE,
  DEMO_PRICE_AREA_OF_COUNTY,
  DEMO_RENT_FACTOR,
  type DemoContractAssumption,
} from './contracts';

/**
 * The agreement tables of docs/DEMO-DATA.md, rendered from the constants the demo agreements
 * are drawn from (a unit test keeps the document equal to this output).
 * `npx tsx server/finance/demo/contract-docs.ts` prints the Markdown.
 */

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

/** Object entries in key order (integer-like keys such as '10' would otherwise come first). */
const sortedEntries = <T>(record: Readonly<Record<string, T>>): [string, T][] =>
  Object.entries(record).sort(([a], [b]) => a.localeCompare(b));

const percent = (share: number): string => `${Number((share * 100).toFixed(1))} %`;
const plain = (value: number): string =>
  Number(value.toPrecision(4))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

function quantityText(assumption: DemoContractAssumption): string {
  const model = assumption.quantity;
  if (model === null) return '1 (per agreement)';
  const unit = contractCategory(assumption.category).quantity?.unit.en ?? '';
  const power = model.exponent === 1 ? 'h' : `h^${model.exponent}`;
  const intensity = assumption.category === 'electricity' ? ' × industry intensity' : '';
  return `(${plain(model.base)} + ${plain(model.perEmployee)} × ${power})${intensity} ${unit}, log-sd ${model.sigma}`;
}

function termText(assumption: DemoContractAssumption): string {
  const parts = [
    assumption.openEnded > 0 ? `${percent(assumption.openEnded)} open-ended` : null,
    assumption.openEnded < 1 ? `${assumption.termMonths}-month term` : null,
    assumption.renewalMonths === null
      ? 'no renewal'
      : `renews by ${assumption.renewalMonths} months`,
    assumption.noticeMonths === 1
      ? "1 month's notice"
      : `${assumption.noticeMonths} months' notice`,
  ];
  return parts.filter((part) => part !== null).join(', ');
}

/** Markdown of the agreement assumptions, one table per aspect. */
export function renderDemoContractTables(): string {
  const categories = table(
    [
      'category',
      'share with / without employees',
      'quantity (h = head count)',
      'median unit price',
      'log-sd of price',
      'term',
    ],
    DEMO_CONTRACT_ASSUMPTIONS.map((a) => {
      const definition = contractCategory(a.category);
      return [
        definition.name.en,
        `${percent(a.share.staffed)} / ${percent(a.share.solo)}`,
        quantityText(a),
        `${plain(a.price.median)} ${definition.price.label.en}`,
        String(a.price.sigma),
        termText(a),
      ];
    }),
  );
  const areas = table(
    ['price area', 'electricity price factor', 'counties'],
    Object.entries(DEMO_ELECTRICITY_PRICE_FACTOR).map(([area, factor]) => [
      area,
      String(factor),
      sortedEntries(DEMO_PRICE_AREA_OF_COUNTY)
        .filter(([, a]) => a === area)
        .map(([county]) => `${county} ${COUNTY_CODES[county as CountyCode]}`)
        .join(', '),
    ]),
  );
  const rent = table(
    ['county', 'rent factor'],
    sortedEntries(DEMO_RENT_FACTOR).map(([county, factor]) => [
      `${county} ${COUNTY_CODES[county as CountyCode]}`,
      String(factor),
    ]),
  );
  const intensity = table(
    ['SNI section', 'electricity per employee (office = 1)'],
    Object.entries(DEMO_ENERGY_INTENSITY).map(([section, factor]) => [section, String(factor)]),
  );
  const models = table(
    ['agreement', 'price model'],
    [
      [
        'electricity with a term',
        `${PRICE_MODEL_NAMES.fixed.en} ${percent(DEMO_FIXED_ELECTRICITY_SHARE)}, otherwise as open-ended`,
      ],
      [
        'electricity, open-ended',
        DEMO_ELECTRICITY_MODELS.map(([m, w]) => `${PRICE_MODEL_NAMES[m].en} ${percent(w)}`).join(
          ', ',
        ),
      ],
      [
        'premises rent',
        `${PRICE_MODEL_NAMES.indexed.en} ${percent(DEMO_INDEXED_RENT_SHARE)}, otherwise fixed`,
      ],
    ],
  );
  return [
    '### Categories',
    categories,
    '### Electricity by price area',
    areas,
    '### Premises rent by county',
    rent,
    '### Electricity use by industry',
    intensity,
    '### Price models',
    models,
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${renderDemoContractTables()}\n`);
}
