/**
 * Profile fields of the finance payload (DESIGN §5), coarsened on the device:
 * SNI 2007 5-digit code → 3-digit group; employee count → band; county (län) code as is.
 * Invalid input gives a typed error value; nothing here throws.
 */
import { sniDivision } from './sni.ts';

export const EMPLOYEE_BANDS = [
  '0',
  '1-4',
  '5-9',
  '10-19',
  '20-49',
  '50-99',
  '100-249',
  '250+',
] as const;
export type EmployeeBand = (typeof EMPLOYEE_BANDS)[number];

/** Swedish län codes in use since 1998 (02, 11, 15, 16 no longer exist). */
export const COUNTY_CODES = {
  '01': 'Stockholm',
  '03': 'Uppsala',
  '04': 'Södermanland',
  '05': 'Östergötland',
  '06': 'Jönköping',
  '07': 'Kronoberg',
  '08': 'Kalmar',
  '09': 'Gotland',
  '10': 'Blekinge',
  '12': 'Skåne',
  '13': 'Halland',
  '14': 'Västra Götaland',
  '17': 'Värmland',
  '18': 'Örebro',
  '19': 'Västmanland',
  '20': 'Dalarna',
  '21': 'Gävleborg',
  '22': 'Västernorrland',
  '23': 'Jämtland',
  '24': 'Västerbotten',
  '25': 'Norrbotten',
} as const satisfies Record<string, string>;
export type CountyCode = keyof typeof COUNTY_CODES;

export type ProfileError =
  | {
      readonly field: 'sni';
      readonly code: 'SNI_FORMAT' | 'SNI_UNKNOWN_DIVISION';
      readonly value: string;
    }
  | { readonly field: 'employees'; readonly code: 'EMPLOYEES_INVALID'; readonly value: number }
  | { readonly field: 'county'; readonly code: 'COUNTY_UNKNOWN'; readonly value: string };

export type ProfileResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ProfileError };

/**
 * Validates a 5-digit SNI 2007 code (`62010`, also written `62.010`) and coarsens it to the
 * 3-digit group (`620`).
 */
export function coarsenSni(input: string): ProfileResult<string> {
  const compact = input.trim().replace(/[.\s]/g, '');
  if (!/^[0-9]{5}$/.test(compact)) {
    return { ok: false, error: { field: 'sni', code: 'SNI_FORMAT', value: input } };
  }
  // A division outside the SNI 2007 list (domain/sni.ts) is a typo.
  if (sniDivision(compact.slice(0, 2)) === undefined) {
    return { ok: false, error: { field: 'sni', code: 'SNI_UNKNOWN_DIVISION', value: input } };
  }
  return { ok: true, value: compact.slice(0, 3) };
}

/** Employee count → band. Counts must be whole numbers 0…10 000 000. */
export function employeeBand(employees: number): ProfileResult<EmployeeBand> {
  if (!Number.isInteger(employees) || employees < 0 || employees > 10_000_000) {
    return {
      ok: false,
      error: { field: 'employees', code: 'EMPLOYEES_INVALID', value: employees },
    };
  }
  const band: EmployeeBand =
    employees === 0
      ? '0'
      : employees < 5
        ? '1-4'
        : employees < 10
          ? '5-9'
          : employees < 20
            ? '10-19'
            : employees < 50
              ? '20-49'
              : employees < 100
                ? '50-99'
                : employees < 250
                  ? '100-249'
                  : '250+';
  return { ok: true, value: band };
}

export function isCountyCode(code: string): code is CountyCode {
  return Object.prototype.hasOwnProperty.call(COUNTY_CODES, code);
}

/** Validates a 2-digit län code (`"07"`; `"7"` is accepted and padded). */
export function normalizeCounty(input: string): ProfileResult<CountyCode> {
  const trimmed = input.trim();
  const padded = /^[0-9]$/.test(trimmed) ? `0${trimmed}` : trimmed;
  if (isCountyCode(padded)) return { ok: true, value: padded };
  return { ok: false, error: { field: 'county', code: 'COUNTY_UNKNOWN', value: input } };
}

export interface ProfileInput {
  /** 5-digit SNI 2007 code; coarsened to its first 3 digits. */
  sni?: string;
  /** Number of employees (whole number); becomes a band. */
  employees?: number;
  /** 2-digit län code "01".."25". */
  county?: string;
}

export interface Profile {
  sni: string | null;
  employeeBand: EmployeeBand | null;
  county: CountyCode | null;
}

/** Builds the coarsened profile, collecting every invalid field. */
export function buildProfile(
  input: ProfileInput,
): { ok: true; profile: Profile } | { ok: false; errors: ProfileError[] } {
  const errors: ProfileError[] = [];
  let sni: string | null = null;
  let band: EmployeeBand | null = null;
  let county: CountyCode | null = null;
  if (input.sni !== undefined && input.sni !== '') {
    const r = coarsenSni(input.sni);
    if (r.ok) sni = r.value;
    else errors.push(r.error);
  }
  if (input.employees !== undefined) {
    const r = employeeBand(input.employees);
    if (r.ok) band = r.value;
    else errors.push(r.error);
  }
  if (input.county !== undefined && input.county !== '') {
    const r = normalizeCounty(input.county);
    if (r.ok) county = r.value;
    else errors.push(r.error);
  }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, profile: { sni, employeeBand: band, county } };
}
