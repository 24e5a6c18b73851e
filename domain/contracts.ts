/**
 * Supplier agreements (avtal, issue #7; DESIGN §5, §7): the wire schemas the finance API, the
 * client core, the UI and the CLI share, the one definition of an agreement's unit price and
 * potential saving, and the comparison an entity gets back.
 *
 * What the server sees in plaintext: the comparable terms (`contractTermsSchema`: category,
 * quantity, annual cost, months, notice and renewal, price model, price area or county) and
 * what it derives from them (unit metric, unit price, term length). Supplier, notes and the
 * category's extra fields (`contractPrivateSchema`) are sealed with the entity key on the
 * device and reach the server only as envelopes (`sealedContractSchema`).
 */
import { z } from 'zod';
import {
  CONTRACT_CATEGORIES,
  contractCategory,
  isCounty,
  isPriceArea,
  PRICE_AREAS,
  PRICE_MODELS,
  PRICE_UNITS,
  UNIT_METRICS,
  type ContractCategory,
  type ContractCategoryDefinition,
} from './contract-categories.ts';
import { monthSchema, monthsInclusive } from './contract-notice.ts';

export * from './contract-categories.ts';
export * from './contract-notice.ts';

/** Agreements one entity may hold. */
export const MAX_CONTRACTS_PER_ENTITY = 100;
/** Largest annual cost accepted, SEK. */
export const MAX_ANNUAL_COST = 1e10;
export const MAX_NOTICE_MONTHS = 36;
export const MAX_RENEWAL_MONTHS = 120;
/** Longest term (start to end month) accepted. */
export const MAX_TERM_MONTHS = 600;
export const MAX_SUPPLIER_CHARS = 120;
export const MAX_NOTES_CHARS = 1000;
/** Envelopes of one agreement's sealed part (each holds at most 2 KiB of plaintext). */
export const MAX_SEALED_PARTS = 4;

/** Agreement ids are UUID v4 strings chosen by the client (they are bound into the AAD). */
export const contractIdSchema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    'must be a UUID v4',
  );

const positiveFinite = (max: number) =>
  z
    .number()
    .refine(Number.isFinite, 'must be finite')
    .refine((v) => v > 0, 'must be positive')
    .refine((v) => v <= max, `must be at most ${max}`);

/**
 * The comparable terms of an agreement, as the client sends them. The category decides what
 * is required: a quantity of its unit (1 for agreements compared per agreement), a price area
 * (electricity) or county (rent), and a price model where the category has them.
 */
export const contractTermsSchema = z
  .strictObject({
    category: z.enum(CONTRACT_CATEGORIES),
    quantity: positiveFinite(1e9),
    /** SEK per year, VAT as the company pays it. */
    annualCost: positiveFinite(MAX_ANNUAL_COST),
    startMonth: monthSchema,
    endMonth: monthSchema.nullable(),
    noticeMonths: z.number().int().min(0).max(MAX_NOTICE_MONTHS),
    renewalMonths: z.number().int().min(1).max(MAX_RENEWAL_MONTHS).nullable(),
    priceModel: z.enum(PRICE_MODELS).nullable(),
    priceArea: z.enum(PRICE_AREAS).nullable(),
    county: z
      .string()
      .regex(/^[0-9]{2}$/)
      .nullable(),
  })
  .superRefine((terms, ctx) => {
    const definition = contractCategory(terms.category);
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (definition.quantity === null) {
      if (terms.quantity !== 1) issue('quantity', 'must be 1 for this category');
    } else {
      if (terms.quantity > definition.quantity.max) {
        issue('quantity', `must be at most ${definition.quantity.max}`);
      }
      if (definition.quantity.integer && !Number.isInteger(terms.quantity)) {
        issue('quantity', 'must be a whole number');
      }
    }
    if (terms.endMonth !== null) {
      if (terms.endMonth < terms.startMonth) issue('endMonth', 'must not be before the start');
      else if (monthsInclusive(terms.startMonth, terms.endMonth) > MAX_TERM_MONTHS) {
        issue('endMonth', `a term lasts at most ${MAX_TERM_MONTHS} months`);
      }
    }
    if (terms.endMonth === null && terms.renewalMonths !== null) {
      issue('renewalMonths', 'an open-ended agreement does not renew');
    }
    if (definition.region === 'price-area') {
      if (!isPriceArea(terms.priceArea)) issue('priceArea', 'required for this category');
    } else if (terms.priceArea !== null) issue('priceArea', 'not used by this category');
    if (definition.region === 'county') {
      if (!isCounty(terms.county)) issue('county', 'must be a county (län) code');
    } else if (terms.county !== null) issue('county', 'not used by this category');
    if (terms.priceModel !== null && !definition.priceModels.includes(terms.priceModel)) {
      issue('priceModel', 'not offered for this category');
    }
  });
export type ContractTerms = z.infer<typeof contractTermsSchema>;

/**
 * What is sealed: supplier, notes and the category's extra fields (details keyed by the
 * category's `DetailField.key`s; numbers or choice values).
 */
export const contractPrivateSchema = z.strictObject({
  supplier: z.string().max(MAX_SUPPLIER_CHARS),
  notes: z.string().max(MAX_NOTES_CHARS),
  details: z
    .record(
      z.string().regex(/^[A-Za-z]{1,40}$/),
      z.union([
        z.number().refine(Number.isFinite, 'must be finite'),
        z.string().regex(/^[a-z-]{1,40}$/),
      ]),
    )
    .refine((record) => Object.keys(record).length <= 10, 'too many details'),
});
export type ContractPrivate = z.infer<typeof contractPrivateSchema>;

/** The details a category accepts, checked (the form and the CLI build them). */
export function detailsProblems(
  category: ContractCategory,
  details: ContractPrivate['details'],
): string[] {
  const fields = contractCategory(category).details;
  return Object.entries(details).flatMap(([key, value]) => {
    const field = fields.find((f) => f.key === key);
    if (field === undefined) return [`${key}: not a field of ${category}`];
    if (field.kind === 'number') {
      return typeof value === 'number' && value >= 0 && value <= field.max
        ? []
        : [`${key}: must be a number 0–${field.max}`];
    }
    return typeof value === 'string' && field.options.some((o) => o.value === value)
      ? []
      : [`${key}: not one of the choices`];
  });
}

const B64U = /^[A-Za-z0-9_-]*$/;
/** base64url without padding of `min..max` bytes (length only; content is opaque here). */
const b64uOf = (min: number, max: number) =>
  z
    .string()
    .min(Math.ceil((min * 4) / 3))
    .max(Math.ceil((max * 4) / 3))
    .regex(B64U, 'not base64url')
    .refine((s) => s.length % 4 !== 1, 'not base64url');

/**
 * One envelope of an agreement's sealed part (docs/PROTOCOL.md, purpose `contract-private`):
 * AES-256-GCM under the entity key, kid `ent:<entityId>:1`. The server validates the shape
 * and stores it; it has no key to open it.
 */
export const contractEnvelopeSchema = z.strictObject({
  v: z.literal(1),
  alg: z.literal('A256GCM'),
  kid: z.string().regex(/^ent:[0-9a-f]{32}:1$/, 'must name an entity key'),
  iv: b64uOf(12, 12),
  ct: b64uOf(16, 2048 + 16),
});
export const sealedContractSchema = z.array(contractEnvelopeSchema).min(1).max(MAX_SEALED_PARTS);
export type SealedContract = z.infer<typeof sealedContractSchema>;

// ---------------------------------------------------------------------------------------------
// Unit price and saving: the one definition.

/**
 * The comparable unit price: annual cost / (quantity × the unit's annual factor). Electricity
 * öre/kWh = annual cost × 100 / kWh; rent SEK/m²/year = cost / m²; telecom SEK per
 * subscription and month = cost / 12 / subscriptions; IT and leasing likewise per user and
 * vehicle; bank SEK per transaction; categories compared per agreement: the annual cost.
 */
export function unitPrice(
  terms: Pick<ContractTerms, 'category' | 'quantity' | 'annualCost'>,
): number {
  const { price } = contractCategory(terms.category);
  return terms.annualCost / (terms.quantity * price.annualFactor);
}

/**
 * Quantity-weighted unit price of several agreements of one category (each entity counts
 * once per peer group): total cost over total quantity, in the category's price unit.
 */
export function weightedUnitPrice(
  category: ContractCategory,
  agreements: readonly Pick<ContractTerms, 'quantity' | 'annualCost'>[],
): number | null {
  let cost = 0;
  let quantity = 0;
  for (const agreement of agreements) {
    cost += agreement.annualCost;
    quantity += agreement.quantity;
  }
  if (quantity <= 0) return null;
  return unitPrice({ category, quantity, annualCost: cost });
}

/**
 * Potential saving in SEK per year: (unit price − peer median) × quantity, converted to a
 * year by the unit's factor; null unless positive. Whole kronor.
 */
export function potentialSaving(
  definition: Pick<ContractCategoryDefinition, 'price'>,
  price: number,
  median: number,
  quantity: number,
): number | null {
  const saving = (price - median) * quantity * definition.price.annualFactor;
  return saving >= 0.5 ? Math.round(saving) : null;
}

/** Months from start to end, both included; null for an open-ended agreement. */
export const termMonths = (terms: Pick<ContractTerms, 'startMonth' | 'endMonth'>): number | null =>
  terms.endMonth === null ? null : monthsInclusive(terms.startMonth, terms.endMonth);

/** The region a category compares by: the price area or county of the agreement. */
export function regionOf(
  terms: Pick<ContractTerms, 'category' | 'priceArea' | 'county'>,
): string | null {
  const { region } = contractCategory(terms.category);
  if (region === 'price-area') return terms.priceArea;
  if (region === 'county') return terms.county;
  return null;
}

// ---------------------------------------------------------------------------------------------
// What the API answers.

const finite = z.number().refine(Number.isFinite, 'must be finite');

/** A peer group of agreements: one category, in one region or (null) all regions. */
export const contractGroupSchema = z.strictObject({
  category: z.enum(CONTRACT_CATEGORIES),
  region: z
    .string()
    .regex(/^(SE[1-4]|[0-9]{2})$/)
    .nullable(),
});
export type ContractGroup = z.infer<typeof contractGroupSchema>;

/**
 * One agreement against its peers: the group used (null: none passes disclosure control),
 * its size, the released quantiles of the unit price (p10/p90 only from 20 entities), the
 * agreement's percentile rank there, its 0–100 index (lower price is better) and the
 * potential saving in SEK/year (null unless the price is above the median).
 */
export const contractComparisonSchema = z.strictObject({
  contractId: contractIdSchema,
  category: z.enum(CONTRACT_CATEGORIES),
  unit: z.enum(PRICE_UNITS),
  unitPrice: finite,
  group: contractGroupSchema.nullable(),
  n: z.number().int().min(0).nullable(),
  p10: finite.optional(),
  p25: finite.optional(),
  p50: finite.optional(),
  p75: finite.optional(),
  p90: finite.optional(),
  rank: z.number().min(0).max(100).nullable(),
  index: z.number().int().min(0).max(100).nullable(),
  saving: z.number().min(0).nullable(),
});
export type ContractComparison = z.infer<typeof contractComparisonSchema>;

/** A stored agreement as `contracts.list` returns it: terms, what the server derived, seal. */
export const storedContractSchema = z.strictObject({
  id: contractIdSchema,
  terms: contractTermsSchema,
  unitMetric: z.enum(UNIT_METRICS),
  unitPrice: finite,
  termMonths: z.number().int().min(1).nullable(),
  updatedMonth: monthSchema,
  sealed: sealedContractSchema,
  comparison: contractComparisonSchema,
});
export type StoredContract = z.infer<typeof storedContractSchema>;

export const contractListSchema = z.strictObject({
  /** The statistics include the synthetic demo population. */
  demo: z.boolean(),
  minGroupSize: z.number().int().min(1),
  contracts: z.array(storedContractSchema),
});
export type ContractList = z.infer<typeof contractListSchema>;

/** A group's key in the published statistics: `electricity|SE3`, `telecom|*`. */
export const contractGroupKey = (group: ContractGroup): string =>
  `${group.category}|${group.region ?? '*'}`;
