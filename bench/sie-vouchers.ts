/**
 * Voucher templates for the synthetic SIE generator: sales and supplier invoices, payments,
 * salaries, VAT, depreciation and so on. Every template returns 2–6 rows that sum to zero by
 * construction (amounts are integer öre).
 */
import { COUNTERPARTIES, OBJECTS } from './sie-chart.ts';
import type { Rng } from '../domain/prng.ts';

export interface Row {
  readonly account: number;
  readonly amount: number;
  /** Pre-formatted object list, e.g. `{}` or `{1 "200" 6 "P2"}`. */
  readonly objects: string;
}

export interface VoucherDraft {
  readonly text: string;
  /** Short text repeated on rows that carry a transaction text. */
  readonly rowText: string;
  readonly rows: readonly Row[];
}

type Template = (rng: Rng, month: number) => VoucherDraft;

const MONTHS = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
] as const;

const NO_OBJECTS = '{}';
const COST_CENTRES = OBJECTS.filter((o) => o.dimension === 1);
const PROJECTS = OBJECTS.filter((o) => o.dimension === 6);
const CENTRE_OBJECTS: readonly string[] = COST_CENTRES.map((c) => `{1 "${c.id}"}`);
const PROJECT_OBJECTS: readonly string[] = COST_CENTRES.flatMap((c) =>
  PROJECTS.map((p) => `{1 "${c.id}" 6 "${p.id}"}`),
);

/** Object list for a result-account row: mostly one cost centre, sometimes a project too. */
const resultObjects = (rng: Rng): string => {
  const r = rng.next();
  if (r < 0.15) return NO_OBJECTS;
  return rng.pick(r < 0.85 ? CENTRE_OBJECTS : PROJECT_OBJECTS);
};

const row = (account: number, amount: number, objects = NO_OBJECTS): Row => ({
  account,
  amount,
  objects,
});

const vatOf = (net: number): number => Math.round(net / 4);

const SALES_25 = [3001, 3011, 3012, 3013, 3014, 3015, 3016, 3510, 3520, 3540, 3590, 3610];
const SALES_NO_VAT = [3004, 3105, 3108, 3305, 3308, 3910, 3990];
const COSTS_25 = [
  4010, 4011, 4015, 4600, 4610, 5050, 5060, 5070, 5090, 5210, 5220, 5250, 5310, 5410, 5420, 5422,
  5460, 5480, 5510, 5520, 5611, 5613, 5710, 5720, 5800, 5810, 5820, 5831, 5890, 5910, 5920, 5930,
  5940, 5990, 6071, 6110, 6150, 6211, 6212, 6230, 6250, 6420, 6530, 6540, 6550, 6590, 6800, 6910,
  6970, 6991, 7610, 7690,
];
const COSTS_NO_VAT = [5010, 5011, 5013, 5612, 6310, 6560, 6570, 6950, 6981, 6982, 6992, 7570];
const DEPRECIATION: readonly (readonly [number, number])[] = [
  [7810, 1019],
  [7832, 1219],
  [7834, 1249],
  [7835, 1259],
  [7836, 1229],
];

const salesInvoice: Template = (rng) => {
  const customer = rng.pick(COUNTERPARTIES);
  const lines = rng.int(1, 3);
  const rows: Row[] = [];
  let net = 0;
  for (let i = 0; i < lines; i++) {
    const amount = rng.amount(20_000, 5_000_000);
    net += amount;
    rows.push(row(rng.pick(SALES_25), -amount, resultObjects(rng)));
  }
  const vat = vatOf(net);
  return {
    text: `Kundfaktura ${rng.int(10_000, 99_999)} ${customer}`,
    rowText: customer,
    rows: [row(1510, net + vat), ...rows, row(2611, -vat)],
  };
};

const exportInvoice: Template = (rng) => {
  const customer = rng.pick(COUNTERPARTIES);
  const amount = rng.amount(50_000, 20_000_000);
  return {
    text: `Faktura export ${rng.int(10_000, 99_999)} ${customer}`,
    rowText: customer,
    rows: [row(1510, amount), row(rng.pick(SALES_NO_VAT), -amount, resultObjects(rng))],
  };
};

const reducedVatSale: Template = (rng) => {
  const [sales, vatAccount, rate] = rng.chance(0.5) ? [3002, 2621, 12] : [3003, 2631, 6];
  const net = rng.amount(10_000, 2_000_000);
  const vat = Math.round((net * rate) / 100);
  return {
    text: `Försäljning ${rate} % moms`,
    rowText: 'Försäljning',
    rows: [row(1930, net + vat), row(sales, -net, resultObjects(rng)), row(vatAccount, -vat)],
  };
};

const customerPayment: Template = (rng) => {
  const customer = rng.pick(COUNTERPARTIES);
  const amount = rng.amount(100_000, 15_000_000);
  const rounding = rng.chance(0.1) ? rng.int(1, 99) * (rng.chance(0.5) ? 1 : -1) : 0;
  const rows =
    rounding === 0
      ? [row(1930, amount), row(1510, -amount)]
      : [row(1930, amount), row(1510, -(amount + rounding)), row(3740, rounding)];
  return { text: `Inbetalning ${customer}`, rowText: customer, rows };
};

const supplierInvoice: Template = (rng) => {
  const supplier = rng.pick(COUNTERPARTIES);
  const lines = rng.int(1, 4);
  const rows: Row[] = [];
  let net = 0;
  for (let i = 0; i < lines; i++) {
    const amount = rng.amount(5_000, 3_000_000);
    net += amount;
    rows.push(row(rng.pick(COSTS_25), amount, resultObjects(rng)));
  }
  const vat = vatOf(net);
  return {
    text: `Leverantörsfaktura ${supplier}`,
    rowText: supplier,
    rows: [row(2440, -(net + vat)), ...rows, row(2641, vat)],
  };
};

const supplierInvoiceNoVat: Template = (rng) => {
  const supplier = rng.pick(COUNTERPARTIES);
  const amount = rng.amount(10_000, 3_000_000);
  return {
    text: `Faktura "${supplier}" utan moms`,
    rowText: supplier,
    rows: [row(2440, -amount), row(rng.pick(COSTS_NO_VAT), amount, resultObjects(rng))],
  };
};

const supplierPayment: Template = (rng) => {
  const supplier = rng.pick(COUNTERPARTIES);
  const amount = rng.amount(100_000, 11_000_000);
  return {
    text: `Betalning ${supplier}`,
    rowText: supplier,
    rows: [row(2440, amount), row(1930, -amount)],
  };
};

const salary: Template = (rng, month) => {
  const gross = rng.amount(800_000, 8_000_000);
  const tax = Math.round(gross * 0.3);
  const fees = Math.round(gross * 0.3142);
  const allowance = rng.chance(0.4) ? rng.amount(10_000, 500_000) : 0;
  const rows = [
    row(rng.pick([7010, 7210, 7220]), gross, resultObjects(rng)),
    row(7510, fees),
    row(2710, -tax),
    row(2731, -fees),
    row(1930, -(gross - tax + allowance)),
  ];
  if (allowance > 0) rows.push(row(7321, allowance, resultObjects(rng)));
  const name = MONTHS[month] ?? 'december';
  return { text: `Lön ${name}`, rowText: `Lön ${name}`, rows };
};

const taxAccount: Template = (rng, month) => {
  const name = MONTHS[month] ?? 'december';
  if (rng.chance(0.5)) {
    const tax = rng.amount(500_000, 8_000_000);
    const fees = rng.amount(500_000, 8_000_000);
    return {
      text: `Skattedeklaration ${name}`,
      rowText: 'Skattekonto',
      rows: [row(2710, tax), row(2731, fees), row(1630, -(tax + fees))],
    };
  }
  const amount = rng.amount(500_000, 20_000_000);
  return {
    text: `Insättning skattekonto ${name}`,
    rowText: 'Skattekonto',
    rows: [row(1630, amount), row(1930, -amount)],
  };
};

const vatSettlement: Template = (rng) => {
  const output = rng.amount(500_000, 15_000_000);
  const input = rng.amount(300_000, 10_000_000);
  const rows = [row(2611, output), row(2641, -input)];
  if (input !== output) rows.push(row(2650, input - output));
  return { text: 'Momsredovisning "kvartal"', rowText: 'Moms', rows };
};

const bankFee: Template = (rng) => {
  const fee = rng.amount(1_000, 150_000);
  return {
    text: 'Bankavgift Östgöta Bank',
    rowText: 'Bankavgift',
    rows: [row(6570, fee, resultObjects(rng)), row(1930, -fee)],
  };
};

const interest: Template = (rng) => {
  const amount = rng.amount(100, 500_000);
  return rng.chance(0.5)
    ? { text: 'Ränteintäkt bank', rowText: 'Ränta', rows: [row(1930, amount), row(8311, -amount)] }
    : {
        text: 'Räntekostnad lån',
        rowText: 'Ränta',
        rows: [row(rng.pick([8410, 8420, 8422, 8423]), amount), row(1930, -amount)],
      };
};

const depreciation: Template = (rng, month) => {
  const [cost, accumulated] = rng.pick(DEPRECIATION);
  const amount = rng.amount(50_000, 3_000_000);
  return {
    text: `Avskrivning ${MONTHS[month] ?? 'december'}`,
    rowText: 'Avskrivning',
    rows: [row(cost, amount, resultObjects(rng)), row(accumulated, -amount)],
  };
};

const cashSale: Template = (rng) => {
  const net = rng.amount(2_000, 500_000);
  const vat = vatOf(net);
  return {
    text: 'Kontantförsäljning kassa',
    rowText: 'Kassa',
    rows: [row(1910, net + vat), row(3001, -net, resultObjects(rng)), row(2611, -vat)],
  };
};

const cashPurchase: Template = (rng) => {
  const net = rng.amount(1_000, 300_000);
  const vat = vatOf(net);
  return {
    text: `Kvitto ${rng.pick(COUNTERPARTIES)}`,
    rowText: 'Kvitto',
    rows: [
      row(1910, -(net + vat)),
      row(rng.pick(COSTS_25), net, resultObjects(rng)),
      row(2641, vat),
    ],
  };
};

const accrual: Template = (rng) => {
  const amount = rng.amount(100_000, 5_000_000);
  const sign = rng.chance(0.5) ? 1 : -1;
  return {
    text: 'Periodisering hyra "förutbetald"',
    rowText: 'Periodisering',
    rows: [row(1710, sign * amount), row(5010, -sign * amount, resultObjects(rng))],
  };
};

const inventoryChange: Template = (rng) => {
  const amount = rng.amount(100_000, 10_000_000) * (rng.chance(0.5) ? 1 : -1);
  return {
    text: 'Lagerförändring handelsvaror',
    rowText: 'Lager',
    rows: [row(1460, amount), row(4960, -amount)],
  };
};

const loanPayment: Template = (rng) => {
  const principal = rng.amount(500_000, 5_000_000);
  const interestCost = rng.amount(10_000, 800_000);
  return {
    text: 'Amortering och ränta lån',
    rowText: 'Lån',
    rows: [row(2350, principal), row(8410, interestCost), row(1930, -(principal + interestCost))],
  };
};

const WEIGHTED: readonly (readonly [Template, number])[] = [
  [salesInvoice, 20],
  [exportInvoice, 3],
  [reducedVatSale, 3],
  [customerPayment, 18],
  [supplierInvoice, 22],
  [supplierInvoiceNoVat, 4],
  [supplierPayment, 14],
  [salary, 3],
  [taxAccount, 2],
  [vatSettlement, 2],
  [bankFee, 4],
  [interest, 2],
  [depreciation, 2],
  [cashSale, 6],
  [cashPurchase, 6],
  [accrual, 1],
  [inventoryChange, 1],
  [loanPayment, 1],
];

const TABLE: readonly Template[] = WEIGHTED.flatMap(([template, weight]) =>
  Array.from({ length: weight }, () => template),
);

/** A random everyday voucher for the given month (0–11). */
export const randomVoucher = (rng: Rng, month: number): VoucherDraft => rng.pick(TABLE)(rng, month);
