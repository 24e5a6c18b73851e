/**
 * A peer group in words ("Dataprogrammering m.m. (620), 10–19 anställda, Kronobergs län,
 * 2025"), shared by the dashboard, the report and the CLI so they describe a group the same way.
 */
import type { BenchmarkGroup } from './benchmark.ts';
import { COUNTY_CODES } from './profile.ts';
import { sniDivision, sniSection } from './sni.ts';

export type Language = 'sv' | 'en';

/** Official Swedish names of the län ("Skåne län", "Stockholms län"). */
const COUNTY_NAMES_SV: Readonly<Record<string, string>> = {
  '01': 'Stockholms län',
  '03': 'Uppsala län',
  '04': 'Södermanlands län',
  '05': 'Östergötlands län',
  '06': 'Jönköpings län',
  '07': 'Kronobergs län',
  '08': 'Kalmar län',
  '09': 'Gotlands län',
  '10': 'Blekinge län',
  '12': 'Skåne län',
  '13': 'Hallands län',
  '14': 'Västra Götalands län',
  '17': 'Värmlands län',
  '18': 'Örebro län',
  '19': 'Västmanlands län',
  '20': 'Dalarnas län',
  '21': 'Gävleborgs län',
  '22': 'Västernorrlands län',
  '23': 'Jämtlands län',
  '24': 'Västerbottens län',
  '25': 'Norrbottens län',
};

const WORDS = {
  sv: {
    allIndustries: 'Alla branscher',
    allBands: 'alla storlekar',
    allCounties: 'hela landet',
    employees: (band: string) => `${band.replace('-', '–')} anställda`,
    county: (code: string) => COUNTY_NAMES_SV[code] ?? code,
    companies: (n: number) => `${n} företag`,
  },
  en: {
    allIndustries: 'All industries',
    allBands: 'all sizes',
    allCounties: 'all of Sweden',
    employees: (band: string) => `${band.replace('-', '–')} employees`,
    county: (code: string) =>
      code in COUNTY_CODES ? `${COUNTY_CODES[code as keyof typeof COUNTY_CODES]} County` : code,
    companies: (n: number) => `${n} companies`,
  },
} as const;

/** The industry part alone: a division or section name, with the code for 3-digit groups. */
export function describeIndustry(group: Pick<BenchmarkGroup, 'level' | 'sni'>, lang: Language) {
  const words = WORDS[lang];
  if (group.level === 'all' || group.sni === null) return words.allIndustries;
  if (group.level === 'section') return sniSection(group.sni)?.name[lang] ?? group.sni;
  const division = sniDivision(group.sni.slice(0, 2));
  const name = division?.name[lang] ?? group.sni;
  return group.level === 'sni3' ? `${name} (SNI ${group.sni})` : name;
}

/** The whole group, optionally with its size: industry, band, county, fiscal year (, n). */
export function describePeerGroup(
  group: BenchmarkGroup,
  lang: Language,
  n?: number | null,
): string {
  const words = WORDS[lang];
  const county = group.county === null ? words.allCounties : words.county(group.county);
  const parts = [
    describeIndustry(group, lang),
    group.employeeBand === null ? words.allBands : words.employees(group.employeeBand),
    county,
    String(group.year),
  ];
  if (n !== undefined && n !== null) parts.push(words.companies(n));
  return parts.join(', ');
}
