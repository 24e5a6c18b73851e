/**
 * Supplier agreement (avtal) categories (DESIGN §5, §7; issue #7): what each category is
 * measured in, what its comparable unit price is, where it is compared regionally and which
 * extra fields it has. The one catalogue the server, the UI, the CLI and the docs use.
 */
import { COUNTY_CODES, type CountyCode } from './profile.ts';

export const CONTRACT_CATEGORIES = [
  'electricity',
  'telecom',
  'insurance',
  'rent',
  'bank',
  'leasing',
  'it',
  'accounting',
  'cleaning',
  'security',
  'other',
] as const;
export type ContractCategory = (typeof CONTRACT_CATEGORIES)[number];

/** What an agreement's quantity counts; `agreement` = the agreement itself (quantity 1). */
export const UNIT_METRICS = [
  'kwh',
  'subscriptions',
  'm2',
  'transactions',
  'vehicles',
  'users',
  'agreement',
] as const;
export type UnitMetric = (typeof UNIT_METRICS)[number];

/** The unit a category's comparable price is stated in. */
export const PRICE_UNITS = [
  'ore_per_kwh',
  'sek_per_subscription_month',
  'sek_per_m2_year',
  'sek_per_transaction',
  'sek_per_vehicle_month',
  'sek_per_user_month',
  'sek_per_year',
] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** Electricity price areas (elområden) of Svenska kraftnät. */
export const PRICE_AREAS = ['SE1', 'SE2', 'SE3', 'SE4'] as const;
export type PriceArea = (typeof PRICE_AREAS)[number];

/** How the price is set: electricity fixed / variable / hourly (spot); rent fixed / indexed. */
export const PRICE_MODELS = ['fixed', 'variable', 'hourly', 'indexed'] as const;
export type PriceModel = (typeof PRICE_MODELS)[number];

/** Where an agreement is compared regionally: electricity by price area, rent by county. */
export type RegionKind = 'price-area' | 'county';

export interface Text {
  readonly sv: string;
  readonly en: string;
}

/** An extra field of a category, kept inside the sealed part (never seen by the server). */
export type DetailField =
  | {
      readonly key: string;
      readonly kind: 'number';
      readonly label: Text;
      readonly unit: Text;
      readonly max: number;
    }
  | {
      readonly key: string;
      readonly kind: 'choice';
      readonly label: Text;
      readonly options: readonly { readonly value: string; readonly label: Text }[];
    };

export interface ContractCategoryDefinition {
  readonly id: ContractCategory;
  readonly name: Text;
  readonly unitMetric: UnitMetric;
  /** What the quantity is; null for categories compared per agreement (quantity 1). */
  readonly quantity: {
    readonly label: Text;
    readonly unit: Text;
    readonly max: number;
    /** Counts (subscriptions, vehicles, …) are whole numbers; kWh and m² need not be. */
    readonly integer: boolean;
  } | null;
  readonly price: {
    readonly unit: PriceUnit;
    readonly label: Text;
    /**
     * SEK per year that one price unit costs per unit of quantity: unit price = annual cost /
     * (quantity × annualFactor), saving = price difference × quantity × annualFactor. 1/100
     * for öre per kWh, 12 for a monthly price, 1 for a yearly one.
     */
    readonly annualFactor: number;
  };
  readonly region: RegionKind | null;
  /** The price models the category offers (empty: none asked). */
  readonly priceModels: readonly PriceModel[];
  readonly details: readonly DetailField[];
}

const perAgreement = {
  unit: 'sek_per_year',
  label: { sv: 'kr/år', en: 'SEK/year' },
  annualFactor: 1,
} as const;

export const CONTRACT_CATEGORY_DEFINITIONS: readonly ContractCategoryDefinition[] = [
  {
    id: 'electricity',
    name: { sv: 'El', en: 'Electricity' },
    unitMetric: 'kwh',
    quantity: {
      label: { sv: 'Förbrukning per år', en: 'Consumption per year' },
      unit: { sv: 'kWh/år', en: 'kWh/year' },
      max: 1e9,
      integer: false,
    },
    price: { unit: 'ore_per_kwh', label: { sv: 'öre/kWh', en: 'öre/kWh' }, annualFactor: 0.01 },
    region: 'price-area',
    priceModels: ['fixed', 'variable', 'hourly'],
    details: [
      {
        key: 'energyPrice',
        kind: 'number',
        label: { sv: 'Avtalat elpris', en: 'Contracted energy price' },
        unit: { sv: 'öre/kWh', en: 'öre/kWh' },
        max: 10_000,
      },
      {
        key: 'fixedFee',
        kind: 'number',
        label: { sv: 'Fast avgift', en: 'Fixed fee' },
        unit: { sv: 'kr/mån', en: 'SEK/month' },
        max: 1e7,
      },
    ],
  },
  {
    id: 'telecom',
    name: { sv: 'Mobil och telefoni', en: 'Mobile and telecom' },
    unitMetric: 'subscriptions',
    quantity: {
      label: { sv: 'Abonnemang', en: 'Subscriptions' },
      unit: { sv: 'st', en: 'pcs' },
      max: 100_000,
      integer: true,
    },
    price: {
      unit: 'sek_per_subscription_month',
      label: { sv: 'kr/abonnemang/mån', en: 'SEK/subscription/month' },
      annualFactor: 12,
    },
    region: null,
    priceModels: [],
    details: [
      {
        key: 'dataVolume',
        kind: 'number',
        label: { sv: 'Datamängd per abonnemang', en: 'Data per subscription' },
        unit: { sv: 'GB/mån', en: 'GB/month' },
        max: 100_000,
      },
    ],
  },
  {
    id: 'insurance',
    name: { sv: 'Försäkring', en: 'Insurance' },
    unitMetric: 'agreement',
    quantity: null,
    price: perAgreement,
    region: null,
    priceModels: [],
    details: [
      {
        key: 'insuranceType',
        kind: 'choice',
        label: { sv: 'Typ av försäkring', en: 'Type of insurance' },
        options: [
          { value: 'business', label: { sv: 'Företagsförsäkring', en: 'Business insurance' } },
          { value: 'property', label: { sv: 'Egendom', en: 'Property' } },
          { value: 'liability', label: { sv: 'Ansvar', en: 'Liability' } },
          { value: 'vehicle', label: { sv: 'Fordon', en: 'Vehicles' } },
          { value: 'other', label: { sv: 'Annan', en: 'Other' } },
        ],
      },
    ],
  },
  {
    id: 'rent',
    name: { sv: 'Lokalhyra', en: 'Premises rent' },
    unitMetric: 'm2',
    quantity: {
      label: { sv: 'Yta', en: 'Area' },
      unit: { sv: 'm²', en: 'm²' },
      max: 1e6,
      integer: false,
    },
    price: {
      unit: 'sek_per_m2_year',
      label: { sv: 'kr/m²/år', en: 'SEK/m²/year' },
      annualFactor: 1,
    },
    region: 'county',
    priceModels: ['fixed', 'indexed'],
    details: [],
  },
  {
    id: 'bank',
    name: { sv: 'Bank och betalningar', en: 'Bank and payments' },
    unitMetric: 'transactions',
    quantity: {
      label: {
        sv: 'Kort- och betaltransaktioner per år',
        en: 'Card and payment transactions per year',
      },
      unit: { sv: 'st/år', en: 'per year' },
      max: 1e9,
      integer: true,
    },
    price: {
      unit: 'sek_per_transaction',
      label: { sv: 'kr/transaktion', en: 'SEK/transaction' },
      annualFactor: 1,
    },
    region: null,
    priceModels: [],
    details: [],
  },
  {
    id: 'leasing',
    name: { sv: 'Fordonsleasing', en: 'Vehicle leasing' },
    unitMetric: 'vehicles',
    quantity: {
      label: { sv: 'Fordon', en: 'Vehicles' },
      unit: { sv: 'st', en: 'pcs' },
      max: 10_000,
      integer: true,
    },
    price: {
      unit: 'sek_per_vehicle_month',
      label: { sv: 'kr/fordon/mån', en: 'SEK/vehicle/month' },
      annualFactor: 12,
    },
    region: null,
    priceModels: [],
    details: [],
  },
  {
    id: 'it',
    name: { sv: 'IT och programvara', en: 'IT and software' },
    unitMetric: 'users',
    quantity: {
      label: { sv: 'Användare', en: 'Users' },
      unit: { sv: 'st', en: 'pcs' },
      max: 1e6,
      integer: true,
    },
    price: {
      unit: 'sek_per_user_month',
      label: { sv: 'kr/användare/mån', en: 'SEK/user/month' },
      annualFactor: 12,
    },
    region: null,
    priceModels: [],
    details: [],
  },
  {
    id: 'accounting',
    name: { sv: 'Redovisning och revision', en: 'Accounting and audit' },
    unitMetric: 'agreement',
    quantity: null,
    price: perAgreement,
    region: null,
    priceModels: [],
    details: [],
  },
  {
    id: 'cleaning',
    name: { sv: 'Städning', en: 'Cleaning' },
    unitMetric: 'agreement',
    quantity: null,
    price: perAgreement,
    region: null,
    priceModels: [],
    details: [],
  },
  {
    id: 'security',
    name: { sv: 'Larm och bevakning', en: 'Security' },
    unitMetric: 'agreement',
    quantity: null,
    price: perAgreement,
    region: null,
    priceModels: [],
    details: [],
  },
  {
    id: 'other',
    name: { sv: 'Övrigt', en: 'Other' },
    unitMetric: 'agreement',
    quantity: null,
    price: perAgreement,
    region: null,
    priceModels: [],
    details: [],
  },
];

const BY_ID = new Map(CONTRACT_CATEGORY_DEFINITIONS.map((c) => [c.id, c]));

export const isContractCategory = (value: unknown): value is ContractCategory =>
  typeof value === 'string' && BY_ID.has(value as ContractCategory);

/** The definition of a category (every category has one). */
export const contractCategory = (id: ContractCategory): ContractCategoryDefinition => {
  const found = BY_ID.get(id);
  if (found === undefined) throw new Error(`unknown contract category ${id}`);
  return found;
};

export const isPriceArea = (value: unknown): value is PriceArea =>
  typeof value === 'string' && (PRICE_AREAS as readonly string[]).includes(value);

export const isCounty = (value: unknown): value is CountyCode =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(COUNTY_CODES, value);

export const PRICE_MODEL_NAMES: Readonly<Record<PriceModel, Text>> = {
  fixed: { sv: 'Fast pris', en: 'Fixed price' },
  variable: { sv: 'Rörligt pris', en: 'Variable price' },
  hourly: { sv: 'Timpris', en: 'Hourly price' },
  indexed: { sv: 'Indexuppräknat', en: 'Indexed' },
};
