import {
  COUNTY_CODES,
  EMPLOYEE_BANDS,
  type CountyCode,
  type EmployeeBand,
} from '../../../domain/profile';

/**
 * How the demo population is spread over industries, employee bands and counties. Every
 * number here is an assumption documented in docs/DEMO-DATA.md (rendered from this module).
 *
 * Division weights approximate the number of Swedish limited companies (aktiebolag) per SNI
 * 2007 division, rounded (SCB Företagsregistret orders of magnitude, 2023): many in
 * construction, trade, IT, real estate, professional services, restaurants, health and
 * personal services; few in mining, utilities and public administration. They are relative
 * weights, not shares: each division gets `weight / Σ weights` of the population, and at least
 * {@link MIN_ENTITIES_PER_DIVISION_SHARE} × entities so every division is present.
 */
export interface DivisionMix {
  /** Relative weight of the division in the population. */
  readonly weight: number;
  /**
   * The SNI 2007 3-digit groups of the division, as their third digits (`'123'` for division
   * 01 means 011, 012, 013). SNI 2007 equals NACE Rev. 2 down to this level.
   */
  readonly groups: string;
  /** Relative weights of some groups (third digit → weight); the others weigh 1. */
  readonly groupWeights?: Readonly<Record<string, number>>;
}

export const DIVISION_MIX: Readonly<Record<string, DivisionMix>> = {
  '01': { weight: 22, groups: '1234567', groupWeights: { '1': 3, '4': 3, '5': 2 } },
  '02': { weight: 12, groups: '1234', groupWeights: { '1': 2, '2': 4, '4': 3 } },
  '03': { weight: 1, groups: '12' },
  '05': { weight: 0.1, groups: '12' },
  '06': { weight: 0.1, groups: '12' },
  '07': { weight: 0.2, groups: '12' },
  '08': { weight: 1.2, groups: '19' },
  '09': { weight: 0.3, groups: '19' },
  '10': { weight: 4, groups: '123456789', groupWeights: { '7': 4, '1': 2 } },
  '11': { weight: 1, groups: '0' },
  '12': { weight: 0.1, groups: '0' },
  '13': { weight: 1, groups: '1239' },
  '14': { weight: 1, groups: '123' },
  '15': { weight: 0.3, groups: '12' },
  '16': { weight: 3, groups: '12', groupWeights: { '2': 3 } },
  '17': { weight: 0.4, groups: '12' },
  '18': { weight: 2, groups: '12' },
  '19': { weight: 0.1, groups: '12' },
  '20': { weight: 1, groups: '123456' },
  '21': { weight: 0.3, groups: '12' },
  '22': { weight: 1.5, groups: '12', groupWeights: { '2': 4 } },
  '23': { weight: 1.5, groups: '12345679', groupWeights: { '6': 3, '7': 3 } },
  '24': { weight: 0.5, groups: '12345' },
  '25': { weight: 7, groups: '12345679', groupWeights: { '6': 4, '1': 3 } },
  '26': { weight: 1, groups: '12345678' },
  '27': { weight: 1, groups: '123459' },
  '28': { weight: 4, groups: '12349', groupWeights: { '2': 2, '9': 2 } },
  '29': { weight: 0.8, groups: '123' },
  '30': { weight: 0.7, groups: '12349', groupWeights: { '1': 3 } },
  '31': { weight: 1.5, groups: '0' },
  '32': { weight: 2.5, groups: '123459', groupWeights: { '5': 2, '9': 3 } },
  '33': { weight: 4, groups: '12', groupWeights: { '1': 3 } },
  '35': { weight: 3, groups: '123', groupWeights: { '1': 4 } },
  '36': { weight: 0.2, groups: '0' },
  '37': { weight: 0.3, groups: '0' },
  '38': { weight: 1.5, groups: '123' },
  '39': { weight: 0.3, groups: '0' },
  '41': { weight: 40, groups: '12', groupWeights: { '2': 4 } },
  '42': { weight: 8, groups: '129', groupWeights: { '1': 2, '9': 2 } },
  '43': { weight: 70, groups: '1239', groupWeights: { '2': 7, '3': 7, '9': 5 } },
  '45': { weight: 18, groups: '1234', groupWeights: { '1': 3, '2': 4 } },
  '46': { weight: 42, groups: '12345679', groupWeights: { '1': 3, '6': 3, '9': 2 } },
  '47': {
    weight: 45,
    groups: '123456789',
    groupWeights: { '1': 3, '2': 2, '5': 3, '7': 6, '9': 4 },
  },
  '49': { weight: 20, groups: '12345', groupWeights: { '3': 6, '4': 12 } },
  '50': { weight: 1, groups: '1234' },
  '51': { weight: 0.3, groups: '12' },
  '52': { weight: 4, groups: '12', groupWeights: { '2': 2 } },
  '53': { weight: 1, groups: '12', groupWeights: { '2': 3 } },
  '55': { weight: 5, groups: '1239', groupWeights: { '1': 4, '2': 2 } },
  '56': { weight: 22, groups: '123', groupWeights: { '1': 8, '2': 1.5 } },
  '58': { weight: 3, groups: '12', groupWeights: { '1': 2 } },
  '59': { weight: 5, groups: '12', groupWeights: { '1': 3 } },
  '60': { weight: 0.5, groups: '12' },
  '61': { weight: 1.5, groups: '1239' },
  '62': { weight: 45, groups: '0' },
  '63': { weight: 4, groups: '19' },
  '64': { weight: 15, groups: '1239', groupWeights: { '1': 0.1, '2': 30, '3': 2, '9': 4 } },
  '65': { weight: 0.5, groups: '123' },
  '66': { weight: 4, groups: '123', groupWeights: { '1': 2, '2': 3 } },
  '68': { weight: 55, groups: '123', groupWeights: { '2': 5 } },
  '69': { weight: 12, groups: '12', groupWeights: { '2': 3 } },
  '70': { weight: 45, groups: '12', groupWeights: { '2': 4 } },
  '71': { weight: 22, groups: '12', groupWeights: { '1': 5 } },
  '72': { weight: 3, groups: '12' },
  '73': { weight: 7, groups: '12', groupWeights: { '1': 4 } },
  '74': { weight: 12, groups: '1239', groupWeights: { '1': 3, '9': 3 } },
  '75': { weight: 1, groups: '0' },
  '77': { weight: 3, groups: '1234' },
  '78': { weight: 2, groups: '123' },
  '79': { weight: 2, groups: '19' },
  '80': { weight: 1, groups: '123' },
  '81': { weight: 10, groups: '123', groupWeights: { '2': 3, '3': 2 } },
  '82': { weight: 8, groups: '1239', groupWeights: { '9': 3 } },
  '84': { weight: 0.1, groups: '123' },
  '85': { weight: 8, groups: '123456', groupWeights: { '5': 3, '6': 2 } },
  '86': { weight: 18, groups: '129', groupWeights: { '2': 4, '9': 3 } },
  '87': { weight: 3, groups: '1239' },
  '88': { weight: 4, groups: '19', groupWeights: { '9': 2 } },
  '90': { weight: 10, groups: '0' },
  '91': { weight: 0.5, groups: '0' },
  '92': { weight: 0.5, groups: '0' },
  '93': { weight: 8, groups: '12', groupWeights: { '1': 2 } },
  '94': { weight: 1, groups: '129' },
  '95': { weight: 1.5, groups: '12', groupWeights: { '2': 2 } },
  '96': { weight: 16, groups: '0' },
  '97': { weight: 0.1, groups: '0' },
  '98': { weight: 0.1, groups: '12' },
  '99': { weight: 0.05, groups: '0' },
};

/** Every division gets at least this share of the population (0.03 %: 9 of 30 000). */
export const MIN_ENTITIES_PER_DIVISION_SHARE = 0.0003;

/** The 3-digit groups of a division with their weights. */
export function groupsOfDivision(division: string): (readonly [string, number])[] {
  const mix = DIVISION_MIX[division];
  if (mix === undefined) throw new Error(`no demo mix for SNI division ${division}`);
  return [...mix.groups].map((digit) => [`${division}${digit}`, mix.groupWeights?.[digit] ?? 1]);
}

/**
 * Base employee-band mix of small Swedish companies (share of companies), before an
 * archetype's tilt: most have no employees or 1–4, few have 50 or more.
 */
export const EMPLOYEE_BAND_WEIGHTS: Readonly<Record<EmployeeBand, number>> = {
  '0': 0.4,
  '1-4': 0.31,
  '5-9': 0.12,
  '10-19': 0.08,
  '20-49': 0.055,
  '50-99': 0.02,
  '100-249': 0.01,
  '250+': 0.005,
};

/** Head-count range of each band; the open band 250+ is drawn with a Pareto-like tail. */
export const EMPLOYEE_BAND_RANGES: Readonly<Record<EmployeeBand, readonly [number, number]>> = {
  '0': [0, 0],
  '1-4': [1, 4],
  '5-9': [5, 9],
  '10-19': [10, 19],
  '20-49': [20, 49],
  '50-99': [50, 99],
  '100-249': [100, 249],
  '250+': [250, 5000],
};

/**
 * Band weights tilted towards larger (tilt > 1) or smaller (tilt < 1) companies: weight of
 * the i-th band × tilt^i.
 */
export function tiltedBandWeights(tilt: number): (readonly [EmployeeBand, number])[] {
  return EMPLOYEE_BANDS.map((band, index) => [band, EMPLOYEE_BAND_WEIGHTS[band] * tilt ** index]);
}

/** Population of each county, thousands (SCB, 31 Dec 2023, rounded). */
export const COUNTY_POPULATION: Readonly<Record<CountyCode, number>> = {
  '01': 2455,
  '03': 400,
  '04': 302,
  '05': 470,
  '06': 369,
  '07': 203,
  '08': 246,
  '09': 61,
  '10': 157,
  '12': 1415,
  '13': 342,
  '14': 1746,
  '17': 283,
  '18': 306,
  '19': 280,
  '20': 288,
  '21': 287,
  '22': 243,
  '23': 132,
  '24': 275,
  '25': 250,
};

/**
 * County weights: population, or its square root for rural industries (agriculture,
 * forestry, fishing), which are spread more evenly over the country than people are.
 */
export function countyWeights(rural: boolean): (readonly [CountyCode, number])[] {
  return (Object.keys(COUNTY_CODES) as CountyCode[]).map((code) => [
    code,
    rural ? Math.sqrt(COUNTY_POPULATION[code]) : COUNTY_POPULATION[code],
  ]);
}
