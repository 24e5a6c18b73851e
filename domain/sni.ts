/**
 * SNI 2007 (Svensk näringsgrensindelning, SCB) — the 21 sections A–U and the 88 two-digit
 * divisions (huvudgrupper), with SCB's Swedish headings and the English NACE Rev. 2 headings
 * (SNI 2007 is NACE Rev. 2 with a Swedish fifth level). This is the one SNI list of the project:
 * profile validation, peer groups, the demo population and the UI all read it from here.
 *
 * Sources: SCB, "SNI 2007 Standard för svensk näringsgrensindelning 2007" (MIS 2007:2) and
 * sni2007.scb.se; Eurostat, "NACE Rev. 2 – Statistical classification of economic activities in
 * the European Community" (2008).
 */

export interface SniName {
  readonly sv: string;
  readonly en: string;
}

export interface SniSection {
  /** 'A'..'U' */
  readonly code: string;
  readonly name: SniName;
  /** The section's 2-digit division codes, ascending. */
  readonly divisions: readonly string[];
}

export interface SniDivision {
  /** '01'..'99' */
  readonly code: string;
  /** Section letter 'A'..'U'. */
  readonly section: string;
  readonly name: SniName;
}

/** Level of the fixed SNI peer-group hierarchy (DESIGN §7): 3-digit → 2-digit → section → all. */
export type SniLevel = 'sni3' | 'sni2' | 'section' | 'all';
export const SNI_LEVELS = ['sni3', 'sni2', 'section', 'all'] as const satisfies readonly SniLevel[];

const SECTION_NAMES = {
  A: { sv: 'Jordbruk, skogsbruk och fiske', en: 'Agriculture, forestry and fishing' },
  B: { sv: 'Utvinning av mineral', en: 'Mining and quarrying' },
  C: { sv: 'Tillverkning', en: 'Manufacturing' },
  D: {
    sv: 'Försörjning av el, gas, värme och kyla',
    en: 'Electricity, gas, steam and air conditioning supply',
  },
  E: {
    sv: 'Vattenförsörjning; avloppsrening, avfallshantering och sanering',
    en: 'Water supply; sewerage, waste management and remediation activities',
  },
  F: { sv: 'Byggverksamhet', en: 'Construction' },
  G: {
    sv: 'Handel; reparation av motorfordon och motorcyklar',
    en: 'Wholesale and retail trade; repair of motor vehicles and motorcycles',
  },
  H: { sv: 'Transport och magasinering', en: 'Transportation and storage' },
  I: { sv: 'Hotell- och restaurangverksamhet', en: 'Accommodation and food service activities' },
  J: { sv: 'Informations- och kommunikationsverksamhet', en: 'Information and communication' },
  K: { sv: 'Finans- och försäkringsverksamhet', en: 'Financial and insurance activities' },
  L: { sv: 'Fastighetsverksamhet', en: 'Real estate activities' },
  M: {
    sv: 'Verksamhet inom juridik, ekonomi, vetenskap och teknik',
    en: 'Professional, scientific and technical activities',
  },
  N: {
    sv: 'Uthyrning, fastighetsservice, resetjänster och andra stödtjänster',
    en: 'Administrative and support service activities',
  },
  O: {
    sv: 'Offentlig förvaltning och försvar; obligatorisk socialförsäkring',
    en: 'Public administration and defence; compulsory social security',
  },
  P: { sv: 'Utbildning', en: 'Education' },
  Q: { sv: 'Vård och omsorg; sociala tjänster', en: 'Human health and social work activities' },
  R: { sv: 'Kultur, nöje och fritid', en: 'Arts, entertainment and recreation' },
  S: { sv: 'Annan serviceverksamhet', en: 'Other service activities' },
  T: {
    sv: 'Förvärvsarbete i hushåll; hushållens produktion av diverse varor och tjänster för eget bruk',
    en: 'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use',
  },
  U: {
    sv: 'Verksamhet vid internationella organisationer, utländska ambassader o.d.',
    en: 'Activities of extraterritorial organisations and bodies',
  },
} as const satisfies Record<string, SniName>;

type SectionCode = keyof typeof SECTION_NAMES;

/** [division, section, Swedish heading, English heading] in code order. */
const DIVISION_ROWS: ReadonlyArray<readonly [string, SectionCode, string, string]> = [
  [
    '01',
    'A',
    'Jordbruk och jakt samt service i anslutning härtill',
    'Crop and animal production, hunting and related service activities',
  ],
  ['02', 'A', 'Skogsbruk', 'Forestry and logging'],
  ['03', 'A', 'Fiske och vattenbruk', 'Fishing and aquaculture'],
  ['05', 'B', 'Kolutvinning', 'Mining of coal and lignite'],
  [
    '06',
    'B',
    'Utvinning av råpetroleum och naturgas',
    'Extraction of crude petroleum and natural gas',
  ],
  ['07', 'B', 'Utvinning av metallmalmer', 'Mining of metal ores'],
  ['08', 'B', 'Annan utvinning av mineral', 'Other mining and quarrying'],
  ['09', 'B', 'Service till utvinning', 'Mining support service activities'],
  ['10', 'C', 'Livsmedelsframställning', 'Manufacture of food products'],
  ['11', 'C', 'Framställning av drycker', 'Manufacture of beverages'],
  ['12', 'C', 'Tobaksvarutillverkning', 'Manufacture of tobacco products'],
  ['13', 'C', 'Textilvarutillverkning', 'Manufacture of textiles'],
  ['14', 'C', 'Tillverkning av kläder', 'Manufacture of wearing apparel'],
  [
    '15',
    'C',
    'Tillverkning av läder, läder- och skinnvaror m.m.',
    'Manufacture of leather and related products',
  ],
  [
    '16',
    'C',
    'Tillverkning av trä och varor av trä, kork, rotting o.d. utom möbler',
    'Manufacture of wood and of products of wood and cork, except furniture; manufacture of articles of straw and plaiting materials',
  ],
  ['17', 'C', 'Pappers- och pappersvarutillverkning', 'Manufacture of paper and paper products'],
  [
    '18',
    'C',
    'Grafisk produktion och reproduktion av inspelningar',
    'Printing and reproduction of recorded media',
  ],
  [
    '19',
    'C',
    'Tillverkning av stenkolsprodukter och raffinerade petroleumprodukter',
    'Manufacture of coke and refined petroleum products',
  ],
  [
    '20',
    'C',
    'Tillverkning av kemikalier och kemiska produkter',
    'Manufacture of chemicals and chemical products',
  ],
  [
    '21',
    'C',
    'Tillverkning av farmaceutiska basprodukter och läkemedel',
    'Manufacture of basic pharmaceutical products and pharmaceutical preparations',
  ],
  [
    '22',
    'C',
    'Tillverkning av gummi- och plastvaror',
    'Manufacture of rubber and plastic products',
  ],
  [
    '23',
    'C',
    'Tillverkning av andra icke-metalliska mineraliska produkter',
    'Manufacture of other non-metallic mineral products',
  ],
  ['24', 'C', 'Stål- och metallframställning', 'Manufacture of basic metals'],
  [
    '25',
    'C',
    'Tillverkning av metallvaror utom maskiner och apparater',
    'Manufacture of fabricated metal products, except machinery and equipment',
  ],
  [
    '26',
    'C',
    'Tillverkning av datorer, elektronikvaror och optik',
    'Manufacture of computer, electronic and optical products',
  ],
  ['27', 'C', 'Tillverkning av elapparatur', 'Manufacture of electrical equipment'],
  ['28', 'C', 'Tillverkning av övriga maskiner', 'Manufacture of machinery and equipment n.e.c.'],
  [
    '29',
    'C',
    'Tillverkning av motorfordon, släpfordon och påhängsvagnar',
    'Manufacture of motor vehicles, trailers and semi-trailers',
  ],
  ['30', 'C', 'Tillverkning av andra transportmedel', 'Manufacture of other transport equipment'],
  ['31', 'C', 'Tillverkning av möbler', 'Manufacture of furniture'],
  ['32', 'C', 'Annan tillverkning', 'Other manufacturing'],
  [
    '33',
    'C',
    'Reparation och installation av maskiner och apparater',
    'Repair and installation of machinery and equipment',
  ],
  [
    '35',
    'D',
    'Försörjning av el, gas, värme och kyla',
    'Electricity, gas, steam and air conditioning supply',
  ],
  ['36', 'E', 'Vattenförsörjning', 'Water collection, treatment and supply'],
  ['37', 'E', 'Avloppsrening', 'Sewerage'],
  [
    '38',
    'E',
    'Avfallshantering; återvinning',
    'Waste collection, treatment and disposal activities; materials recovery',
  ],
  [
    '39',
    'E',
    'Sanering, efterbehandling av jord och vatten samt annan verksamhet för föroreningsbekämpning',
    'Remediation activities and other waste management services',
  ],
  ['41', 'F', 'Byggande av hus', 'Construction of buildings'],
  ['42', 'F', 'Anläggningsarbeten', 'Civil engineering'],
  [
    '43',
    'F',
    'Specialiserad bygg- och anläggningsverksamhet',
    'Specialised construction activities',
  ],
  [
    '45',
    'G',
    'Handel samt reparation av motorfordon och motorcyklar',
    'Wholesale and retail trade and repair of motor vehicles and motorcycles',
  ],
  [
    '46',
    'G',
    'Parti- och provisionshandel utom med motorfordon',
    'Wholesale trade, except of motor vehicles and motorcycles',
  ],
  [
    '47',
    'G',
    'Detaljhandel utom med motorfordon och motorcyklar',
    'Retail trade, except of motor vehicles and motorcycles',
  ],
  ['49', 'H', 'Landtransport; transport i rörsystem', 'Land transport and transport via pipelines'],
  ['50', 'H', 'Sjötransport', 'Water transport'],
  ['51', 'H', 'Lufttransport', 'Air transport'],
  [
    '52',
    'H',
    'Magasinering och stödtjänster till transport',
    'Warehousing and support activities for transportation',
  ],
  ['53', 'H', 'Post- och kurirverksamhet', 'Postal and courier activities'],
  ['55', 'I', 'Hotell- och logiverksamhet', 'Accommodation'],
  ['56', 'I', 'Restaurang-, catering- och barverksamhet', 'Food and beverage service activities'],
  ['58', 'J', 'Förlagsverksamhet', 'Publishing activities'],
  [
    '59',
    'J',
    'Film-, video- och tv-programverksamhet, ljudinspelningar och fonogramutgivning',
    'Motion picture, video and television programme production, sound recording and music publishing activities',
  ],
  ['60', 'J', 'Planering och sändning av program', 'Programming and broadcasting activities'],
  ['61', 'J', 'Telekommunikation', 'Telecommunications'],
  [
    '62',
    'J',
    'Dataprogrammering, datakonsultverksamhet o.d.',
    'Computer programming, consultancy and related activities',
  ],
  ['63', 'J', 'Informationstjänster', 'Information service activities'],
  [
    '64',
    'K',
    'Finansiella tjänster utom försäkring och pensionsfondsverksamhet',
    'Financial service activities, except insurance and pension funding',
  ],
  [
    '65',
    'K',
    'Försäkring, återförsäkring och pensionsfondsverksamhet utom obligatorisk socialförsäkring',
    'Insurance, reinsurance and pension funding, except compulsory social security',
  ],
  [
    '66',
    'K',
    'Stödtjänster till finansiella tjänster och försäkring',
    'Activities auxiliary to financial services and insurance activities',
  ],
  ['68', 'L', 'Fastighetsverksamhet', 'Real estate activities'],
  ['69', 'M', 'Juridisk och ekonomisk konsultverksamhet', 'Legal and accounting activities'],
  [
    '70',
    'M',
    'Verksamheter som utövas av huvudkontor; konsulttjänster till företag',
    'Activities of head offices; management consultancy activities',
  ],
  [
    '71',
    'M',
    'Arkitekt- och teknisk konsultverksamhet; teknisk provning och analys',
    'Architectural and engineering activities; technical testing and analysis',
  ],
  ['72', 'M', 'Vetenskaplig forskning och utveckling', 'Scientific research and development'],
  ['73', 'M', 'Reklam och marknadsundersökning', 'Advertising and market research'],
  [
    '74',
    'M',
    'Annan verksamhet inom juridik, ekonomi, vetenskap och teknik',
    'Other professional, scientific and technical activities',
  ],
  ['75', 'M', 'Veterinärverksamhet', 'Veterinary activities'],
  ['77', 'N', 'Uthyrning och leasing', 'Rental and leasing activities'],
  [
    '78',
    'N',
    'Arbetsförmedling, bemanning och andra personalrelaterade tjänster',
    'Employment activities',
  ],
  [
    '79',
    'N',
    'Resebyrå- och researrangörsverksamhet och andra resetjänster och relaterade tjänster',
    'Travel agency, tour operator and other reservation service and related activities',
  ],
  ['80', 'N', 'Säkerhets- och bevakningsverksamhet', 'Security and investigation activities'],
  [
    '81',
    'N',
    'Fastighetsservice samt skötsel och underhåll av grönytor',
    'Services to buildings and landscape activities',
  ],
  [
    '82',
    'N',
    'Kontorstjänster och andra företagstjänster',
    'Office administrative, office support and other business support activities',
  ],
  [
    '84',
    'O',
    'Offentlig förvaltning och försvar; obligatorisk socialförsäkring',
    'Public administration and defence; compulsory social security',
  ],
  ['85', 'P', 'Utbildning', 'Education'],
  ['86', 'Q', 'Hälso- och sjukvård', 'Human health activities'],
  ['87', 'Q', 'Vård och omsorg med boende', 'Residential care activities'],
  ['88', 'Q', 'Öppna sociala insatser', 'Social work activities without accommodation'],
  [
    '90',
    'R',
    'Konstnärlig och kulturell verksamhet samt underhållningsverksamhet',
    'Creative, arts and entertainment activities',
  ],
  [
    '91',
    'R',
    'Biblioteks-, arkiv- och museiverksamhet m.m.',
    'Libraries, archives, museums and other cultural activities',
  ],
  ['92', 'R', 'Spel- och vadhållningsverksamhet', 'Gambling and betting activities'],
  [
    '93',
    'R',
    'Sport-, fritids- och nöjesverksamhet',
    'Sports activities and amusement and recreation activities',
  ],
  ['94', 'S', 'Intressebevakning; religiös verksamhet', 'Activities of membership organisations'],
  [
    '95',
    'S',
    'Reparation av datorer, hushållsartiklar och personliga artiklar',
    'Repair of computers and personal and household goods',
  ],
  ['96', 'S', 'Andra konsumenttjänster', 'Other personal service activities'],
  [
    '97',
    'T',
    'Förvärvsarbete i hushåll',
    'Activities of households as employers of domestic personnel',
  ],
  [
    '98',
    'T',
    'Hushållens produktion av diverse varor och tjänster för eget bruk',
    'Undifferentiated goods- and services-producing activities of private households for own use',
  ],
  [
    '99',
    'U',
    'Verksamhet vid internationella organisationer, utländska ambassader o.d.',
    'Activities of extraterritorial organisations and bodies',
  ],
];

/** All 88 SNI 2007 divisions, ascending by code. */
export const SNI_DIVISIONS: readonly SniDivision[] = DIVISION_ROWS.map(
  ([code, section, sv, en]) => ({ code, section, name: { sv, en } }),
);

/** All 21 SNI 2007 sections A–U; each lists its divisions (derived from {@link SNI_DIVISIONS}). */
export const SNI_SECTIONS: readonly SniSection[] = Object.entries(SECTION_NAMES).map(
  ([code, name]) => ({
    code,
    name,
    divisions: SNI_DIVISIONS.filter((d) => d.section === code).map((d) => d.code),
  }),
);

const DIVISION_BY_CODE: ReadonlyMap<string, SniDivision> = new Map(
  SNI_DIVISIONS.map((d) => [d.code, d]),
);
const SECTION_BY_CODE: ReadonlyMap<string, SniSection> = new Map(
  SNI_SECTIONS.map((s) => [s.code, s]),
);

/** The division with this exact 2-digit code (`'62'`), if SNI 2007 has one. */
export function sniDivision(code2: string): SniDivision | undefined {
  return DIVISION_BY_CODE.get(code2);
}

/** The section with this letter (`'J'`), if any. */
export function sniSection(letter: string): SniSection | undefined {
  return SECTION_BY_CODE.get(letter);
}

/**
 * The section of an SNI code given with 2–5 digits (`'62'`, `'620'`, `'6201'`, `'62010'`; dots
 * and spaces as in `'62.010'` are ignored). Undefined for anything else or an unknown division.
 */
export function sectionOfSni(code: string): SniSection | undefined {
  const compact = code.replace(/[.\s]/g, '');
  if (!/^[0-9]{2,5}$/.test(compact)) return undefined;
  const division = sniDivision(compact.slice(0, 2));
  return division === undefined ? undefined : SECTION_BY_CODE.get(division.section);
}

/**
 * The peer-group key of a stored 3-digit SNI code at one level of the fixed hierarchy:
 * `'620'` → sni3 `'620'`, sni2 `'62'`, section `'J'`. Null for level `'all'` (no industry
 * constraint) and for a code that is not three digits of a known division.
 */
export function sniLevelCode(sni3: string, level: SniLevel): string | null {
  if (level === 'all') return null;
  if (!/^[0-9]{3}$/.test(sni3)) return null;
  const division = sniDivision(sni3.slice(0, 2));
  if (division === undefined) return null;
  switch (level) {
    case 'sni3':
      return sni3;
    case 'sni2':
      return division.code;
    case 'section':
      return division.section;
  }
}
