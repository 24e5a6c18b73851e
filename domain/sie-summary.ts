/**
 * SIE summary shapes shared by worker, UI, CLI and server.
 *
 * - {@link LocalSummary}: everything the worker extracts for display *on the device*
 *   (identity records, account names, monthly movements). Never uploaded.
 * - {@link CliSummary} (`nyckel.sie-summary/1`): the stable CLI JSON of DESIGN §4.
 * - {@link FinancePayload} (`nyckel.finance-payload/1`): the only thing that leaves the device —
 *   coarsened profile plus per-year 2-digit group sums in integer öre (P1/P2).
 */
import { z } from 'zod';
import { isBalanceGroup, isResultGroup } from './bas.ts';
import type { Diagnostic } from './sie-diagnostics.ts';
import { DIAGNOSTIC_CODES } from './sie-diagnostics.ts';
import type { ProfileError, ProfileInput } from './profile.ts';
import { buildProfile, EMPLOYEE_BANDS, COUNTY_CODES } from './profile.ts';

export type SieType = '1' | '2' | '3' | '4E' | '4I';
export type SieEncodingName = 'cp437' | 'utf-8' | 'windows-1252';
export type ChecksumStatusName = 'valid' | 'invalid' | 'absent' | 'unverifiable';
export type YearSource = 'balances' | 'transactions';

/** `{ "19": { ib, ub } }`, integer öre, SIE signs (debit positive). */
export type BalanceGroups = Record<string, { ib: number; ub: number }>;
/** `{ "30": amount }`, integer öre, SIE signs. */
export type ResultGroups = Record<string, number>;

export interface LocalYear {
  /** #RAR index: 0 current, -1 previous, … */
  index: number;
  start: string;
  end: string;
  /** `balances` when result groups come from #RES, `transactions` when derived from vouchers. */
  source: YearSource;
  balance: BalanceGroups;
  result: ResultGroups;
  /** Where `balance[g].ib` came from: this year's #IB, the previous year's #UB, or nowhere. */
  ibSource: 'ib' | 'previous-ub' | 'none';
  hasBalances: boolean;
  hasResult: boolean;
  /** Vouchers dated within the year. */
  vouchers: number;
  /**
   * Monthly movements of result groups 30–89 (year-result accounts excluded), keyed `YYYY-MM`,
   * from #PSALDO rows with an empty object list, else from vouchers. Local trend charts only.
   */
  monthly: { source: 'psaldo' | 'transactions' | 'none'; months: Record<string, ResultGroups> };
}

export interface LocalSummary {
  sieType: SieType;
  encoding: SieEncodingName;
  checksum: ChecksumStatusName;
  currency: string;
  /** Declared #FORMAT (normally PC8), null when absent. */
  declaredFormat: string | null;
  program: { name: string; version: string } | null;
  /** #GEN date (ISO) when valid. */
  generated: string | null;
  /** Identity records — local display and matching only, never uploaded. */
  company: {
    name: string | null;
    orgNumber: string | null;
    fnr: string | null;
    address: { contact: string; street: string; postal: string; phone: string } | null;
  };
  /** Account number → name from #KONTO (local display only). */
  accounts: Record<string, string>;
  /** Newest first. */
  years: LocalYear[];
  counts: {
    bytes: number;
    lines: number;
    vouchers: number;
    transactions: number;
    /** #RTRANS/#BTRANS rows seen (never counted in sums). */
    ignoredTransactions: number;
  };
}

export interface SieResult {
  /** Null only when the file is rejected; `diagnostics` then holds exactly one error. */
  data: LocalSummary | null;
  diagnostics: Diagnostic[];
}

// ---------------------------------------------------------------------------------------------
// Schemas

const MAX_YEARS = 50;
const MAX_GROUPS = 100;
const MAX_DIAGNOSTICS = 5000;

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);
const ore = z.int();
const groupKey = z.string().regex(/^[0-9]{2}$/);

const limitedRecord = <T extends z.ZodType>(value: T, keyCheck: (k: string) => boolean) =>
  z
    .record(groupKey, value)
    .refine((r) => Object.keys(r).length <= MAX_GROUPS, { message: `at most ${MAX_GROUPS} groups` })
    .refine((r) => Object.keys(r).every(keyCheck), { message: 'group outside its range' });

export const balanceGroupsSchema = limitedRecord(
  z.strictObject({ ib: ore, ub: ore }),
  isBalanceGroup,
);
export const resultGroupsSchema = limitedRecord(ore, isResultGroup);

export const diagnosticSchema = z.strictObject({
  line: z.int().min(1),
  severity: z.enum(['warning', 'error']),
  code: z.enum(DIAGNOSTIC_CODES),
  message: z.string().max(2000),
});

export const CLI_SUMMARY_FORMAT = 'nyckel.sie-summary/1';

export const cliSummarySchema = z.strictObject({
  format: z.literal(CLI_SUMMARY_FORMAT),
  sieType: z.enum(['1', '2', '3', '4E', '4I']),
  encoding: z.enum(['cp437', 'utf-8', 'windows-1252']),
  checksum: z.enum(['valid', 'invalid', 'absent', 'unverifiable']),
  currency: z.string().min(1).max(8),
  years: z
    .array(
      z.strictObject({
        index: z.int().min(-99).max(99),
        start: isoDate,
        end: isoDate,
        source: z.enum(['balances', 'transactions']),
        balance: balanceGroupsSchema,
        result: resultGroupsSchema,
      }),
    )
    .max(MAX_YEARS),
  diagnostics: z.array(diagnosticSchema).max(MAX_DIAGNOSTICS),
});
export type CliSummary = z.infer<typeof cliSummarySchema>;

export const FINANCE_PAYLOAD_FORMAT = 'nyckel.finance-payload/1';

export const financePayloadSchema = z.strictObject({
  format: z.literal(FINANCE_PAYLOAD_FORMAT),
  profile: z.strictObject({
    sni: z
      .string()
      .regex(/^[0-9]{3}$/)
      .nullable(),
    employeeBand: z.enum(EMPLOYEE_BANDS).nullable(),
    county: z
      .string()
      .regex(/^[0-9]{2}$/)
      .refine((c) => Object.prototype.hasOwnProperty.call(COUNTY_CODES, c), 'unknown county')
      .nullable(),
  }),
  years: z
    .array(
      z.strictObject({
        start: isoDate,
        end: isoDate,
        employees: z.int().min(0).max(10_000_000).nullable(),
        balance: balanceGroupsSchema,
        result: resultGroupsSchema,
      }),
    )
    .min(1)
    .max(MAX_YEARS),
});
export type FinancePayload = z.infer<typeof financePayloadSchema>;

// ---------------------------------------------------------------------------------------------
// Builders

/** Copies a group map keeping only valid 2-digit keys of the right range (defensive, P2). */
function pickGroups<T>(map: Record<string, T>, keep: (g: string) => boolean): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(map).sort()) {
    const v = map[key];
    if (/^[0-9]{2}$/.test(key) && keep(key) && v !== undefined) out[key] = v;
  }
  return out;
}

/** The DESIGN §4 CLI JSON for a summary (identity, names and monthly data are dropped). */
export function toCliSummary(local: LocalSummary, diagnostics: readonly Diagnostic[]): CliSummary {
  return {
    format: CLI_SUMMARY_FORMAT,
    sieType: local.sieType,
    encoding: local.encoding,
    checksum: local.checksum,
    currency: local.currency,
    years: local.years.slice(0, MAX_YEARS).map((y) => ({
      index: y.index,
      start: y.start,
      end: y.end,
      source: y.source,
      balance: pickGroups(y.balance, isBalanceGroup),
      result: pickGroups(y.result, isResultGroup),
    })),
    diagnostics: diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => ({
      line: d.line,
      severity: d.severity,
      code: d.code,
      message: d.message,
    })),
  };
}

export type PayloadError =
  | { readonly kind: 'profile'; readonly errors: readonly ProfileError[] }
  | { readonly kind: 'no-years'; readonly message: string };

export type PayloadResult =
  | { readonly ok: true; readonly payload: FinancePayload }
  | { readonly ok: false; readonly error: PayloadError };

/**
 * Builds the upload payload from a local summary (pure). Only years with balance or result
 * data are included, newest first. `employees` is the current head count and is attached to
 * the newest year only (older years: null — the user did not state them).
 */
export function buildPayload(local: LocalSummary, profileInput: ProfileInput = {}): PayloadResult {
  const profile = buildProfile(profileInput);
  if (!profile.ok) return { ok: false, error: { kind: 'profile', errors: profile.errors } };
  const years = local.years
    .filter((y) => y.hasBalances || y.hasResult)
    .slice(0, MAX_YEARS)
    .map((y, i) => ({
      start: y.start,
      end: y.end,
      employees: i === 0 && profileInput.employees !== undefined ? profileInput.employees : null,
      balance: Object.fromEntries(
        Object.entries(pickGroups(y.balance, isBalanceGroup)).map(([g, v]) => [
          g,
          { ib: v.ib, ub: v.ub },
        ]),
      ),
      result: pickGroups(y.result, isResultGroup),
    }));
  if (years.length === 0) {
    return {
      ok: false,
      error: { kind: 'no-years', message: 'The file has no year with figures.' },
    };
  }
  const payload: FinancePayload = {
    format: FINANCE_PAYLOAD_FORMAT,
    profile: {
      sni: profile.profile.sni,
      employeeBand: profile.profile.employeeBand,
      county: profile.profile.county,
    },
    years,
  };
  return { ok: true, payload };
}
