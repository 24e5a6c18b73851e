/**
 * Stable diagnostic codes of the SIE engine, with bilingual message templates.
 *
 * A diagnostic carries `message` (English; what the CLI JSON prints), `messageSv` (Swedish,
 * for the UI) and `params` (the values the templates used, so a UI may re-render them).
 * Codes are part of the CLI contract: never rename one, only add.
 */

export const DIAGNOSTIC_CODES = [
  // errors — the file is rejected (exactly one, data null)
  'NOT_SIE',
  'TRUNCATED',
  'NO_FISCAL_YEAR',
  // warnings
  'ENCODING_MISMATCH',
  'ENCODING_AMBIGUOUS',
  'ENCODING_LOSSY',
  'CHECKSUM_INVALID',
  'CHECKSUM_UNVERIFIABLE',
  'UNBALANCED_VOUCHER',
  'BALANCE_IDENTITY_OFF',
  'MISSING_MANDATORY_RECORD',
  'UNKNOWN_SIE_TYPE',
  'UNKNOWN_ACCOUNT',
  'SKIPPED_ACCOUNT',
  'DATE_OUTSIDE_YEAR',
  'DUPLICATE_YEAR',
  'UNKNOWN_YEAR_INDEX',
  'YEAR_INFERRED',
  'YEAR_WITHOUT_DATA',
  'INVALID_AMOUNT',
  'AMOUNT_PRECISION',
  'DECIMAL_COMMA',
  'INVALID_DATE',
  'INVALID_RECORD',
  'MALFORMED_VOUCHER',
  'TRANS_OUTSIDE_VOUCHER',
  'CURRENCY_NOT_SEK',
  'LINE_TOO_LONG',
  'AMOUNT_OVERFLOW',
  'DIAGNOSTICS_CAPPED',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];
export type DiagnosticSeverity = 'warning' | 'error';
export type DiagnosticParams = Readonly<Record<string, string | number>>;

export interface Diagnostic {
  /** 1-based line the diagnostic refers to (file-level findings use the most relevant line, else 1). */
  line: number;
  severity: DiagnosticSeverity;
  code: DiagnosticCode;
  /** English message (CLI). */
  message: string;
  /** Swedish message (UI). */
  messageSv: string;
  params: DiagnosticParams;
}

type Template = (p: DiagnosticParams) => string;
interface MessageDef {
  severity: DiagnosticSeverity;
  en: Template;
  sv: Template;
}

const s = (p: DiagnosticParams, k: string): string => String(p[k] ?? '');

export const DIAGNOSTIC_MESSAGES: Readonly<Record<DiagnosticCode, MessageDef>> = {
  NOT_SIE: {
    severity: 'error',
    en: (p) => `Not an SIE file: ${s(p, 'reason')}.`,
    sv: (p) => `Inte en SIE-fil: ${s(p, 'reasonSv')}.`,
  },
  TRUNCATED: {
    severity: 'error',
    en: (p) => `The file is truncated: ${s(p, 'reason')} (file ends at line ${s(p, 'lastLine')}).`,
    sv: (p) => `Filen är avkortad: ${s(p, 'reasonSv')} (filen slutar på rad ${s(p, 'lastLine')}).`,
  },
  NO_FISCAL_YEAR: {
    severity: 'error',
    en: () => 'No fiscal year: the file has no #RAR record and no vouchers.',
    sv: () => 'Räkenskapsår saknas: filen har varken #RAR-post eller verifikationer.',
  },
  ENCODING_MISMATCH: {
    severity: 'warning',
    en: (p) =>
      `The file declares ${s(p, 'declared')} but its text is ${s(p, 'detected')}; read as ${s(p, 'detected')}.`,
    sv: (p) =>
      `Filen anger ${s(p, 'declared')} men texten är ${s(p, 'detected')}; läst som ${s(p, 'detected')}.`,
  },
  ENCODING_AMBIGUOUS: {
    severity: 'warning',
    en: () => 'Could not tell CP437 from Windows-1252 by Swedish letters; read as CP437.',
    sv: () => 'Kunde inte avgöra CP437 eller Windows-1252 utifrån svenska tecken; läst som CP437.',
  },
  ENCODING_LOSSY: {
    severity: 'warning',
    en: () =>
      'The file contains replacement characters (U+FFFD): some letters were lost before export.',
    sv: () =>
      'Filen innehåller ersättningstecken (U+FFFD): vissa tecken har gått förlorade före exporten.',
  },
  CHECKSUM_INVALID: {
    severity: 'warning',
    en: (p) =>
      `#KSUMMA does not match (file says ${s(p, 'expected')}, computed ${s(p, 'actual')}): the file may have been altered.`,
    sv: (p) =>
      `#KSUMMA stämmer inte (filen anger ${s(p, 'expected')}, beräknat ${s(p, 'actual')}): filen kan ha ändrats.`,
  },
  CHECKSUM_UNVERIFIABLE: {
    severity: 'warning',
    en: () => '#KSUMMA cannot be verified because the file is not CP437-encoded.',
    sv: () => '#KSUMMA kan inte kontrolleras eftersom filen inte är CP437-kodad.',
  },
  UNBALANCED_VOUCHER: {
    severity: 'warning',
    en: (p) =>
      `Voucher ${s(p, 'voucher')} does not balance: its rows sum to ${s(p, 'sum')} instead of 0.`,
    sv: (p) =>
      `Verifikation ${s(p, 'voucher')} balanserar inte: raderna summerar till ${s(p, 'sum')} i stället för 0.`,
  },
  BALANCE_IDENTITY_OFF: {
    severity: 'warning',
    en: (p) =>
      `Year ${s(p, 'year')}: closing balances, opening balances and result do not agree (off by ${s(p, 'diff')}).`,
    sv: (p) =>
      `År ${s(p, 'year')}: utgående balans, ingående balans och resultat stämmer inte (differens ${s(p, 'diff')}).`,
  },
  MISSING_MANDATORY_RECORD: {
    severity: 'warning',
    en: (p) => `Record ${s(p, 'label')} is mandatory for SIE type ${s(p, 'sieType')} but missing.`,
    sv: (p) => `Posten ${s(p, 'label')} är obligatorisk för SIE typ ${s(p, 'sieType')} men saknas.`,
  },
  UNKNOWN_SIE_TYPE: {
    severity: 'warning',
    en: (p) => `Unknown #SIETYP "${s(p, 'value')}"; read as type ${s(p, 'assumed')}.`,
    sv: (p) => `Okänd #SIETYP "${s(p, 'value')}"; läst som typ ${s(p, 'assumed')}.`,
  },
  UNKNOWN_ACCOUNT: {
    severity: 'warning',
    en: (p) => `Account ${s(p, 'account')} is used in #TRANS but not defined by #KONTO.`,
    sv: (p) => `Konto ${s(p, 'account')} används i #TRANS men finns inte i #KONTO.`,
  },
  SKIPPED_ACCOUNT: {
    severity: 'warning',
    en: (p) => `Account ${s(p, 'account')} is skipped (${s(p, 'reason')}).`,
    sv: (p) => `Konto ${s(p, 'account')} hoppas över (${s(p, 'reasonSv')}).`,
  },
  DATE_OUTSIDE_YEAR: {
    severity: 'warning',
    en: (p) =>
      `Voucher ${s(p, 'voucher')} is dated ${s(p, 'date')}, outside every fiscal year in the file.`,
    sv: (p) =>
      `Verifikation ${s(p, 'voucher')} är daterad ${s(p, 'date')}, utanför filens räkenskapsår.`,
  },
  DUPLICATE_YEAR: {
    severity: 'warning',
    en: (p) => `#RAR ${s(p, 'index')} is defined more than once; the first definition is used.`,
    sv: (p) => `#RAR ${s(p, 'index')} förekommer flera gånger; den första används.`,
  },
  UNKNOWN_YEAR_INDEX: {
    severity: 'warning',
    en: (p) => `${s(p, 'label')} refers to year ${s(p, 'index')}, which no #RAR defines; ignored.`,
    sv: (p) => `${s(p, 'label')} avser år ${s(p, 'index')}, som saknar #RAR; ignoreras.`,
  },
  YEAR_INFERRED: {
    severity: 'warning',
    en: (p) =>
      `No #RAR record: fiscal year(s) inferred as calendar years from voucher dates (${s(p, 'years')}).`,
    sv: (p) =>
      `#RAR saknas: räkenskapsår antagna som kalenderår utifrån verifikationsdatum (${s(p, 'years')}).`,
  },
  YEAR_WITHOUT_DATA: {
    severity: 'warning',
    en: (p) =>
      `Fiscal year ${s(p, 'index')} (${s(p, 'start')}–${s(p, 'end')}) has no balances, results or vouchers.`,
    sv: (p) =>
      `Räkenskapsår ${s(p, 'index')} (${s(p, 'start')}–${s(p, 'end')}) saknar balanser, resultat och verifikationer.`,
  },
  INVALID_AMOUNT: {
    severity: 'warning',
    en: (p) => `${s(p, 'label')}: "${s(p, 'value')}" is not a valid amount; row ignored.`,
    sv: (p) => `${s(p, 'label')}: "${s(p, 'value')}" är inte ett giltigt belopp; raden ignoreras.`,
  },
  AMOUNT_PRECISION: {
    severity: 'warning',
    en: (p) => `Amount "${s(p, 'value')}" has more than two decimals; rounded to öre.`,
    sv: (p) => `Beloppet "${s(p, 'value')}" har fler än två decimaler; avrundat till öre.`,
  },
  DECIMAL_COMMA: {
    severity: 'warning',
    en: () => 'Amounts use a decimal comma instead of a point; read as decimals.',
    sv: () => 'Belopp har decimalkomma i stället för punkt; tolkade som decimaler.',
  },
  INVALID_DATE: {
    severity: 'warning',
    en: (p) => `${s(p, 'label')}: "${s(p, 'value')}" is not a valid date (YYYYMMDD).`,
    sv: (p) => `${s(p, 'label')}: "${s(p, 'value')}" är inte ett giltigt datum (ÅÅÅÅMMDD).`,
  },
  INVALID_RECORD: {
    severity: 'warning',
    en: (p) => `${s(p, 'label')} record is incomplete or malformed; ignored.`,
    sv: (p) => `${s(p, 'label')}-posten är ofullständig eller felaktig; ignoreras.`,
  },
  MALFORMED_VOUCHER: {
    severity: 'warning',
    en: (p) => `Voucher structure is broken: ${s(p, 'reason')}.`,
    sv: (p) => `Verifikationens struktur är felaktig: ${s(p, 'reasonSv')}.`,
  },
  TRANS_OUTSIDE_VOUCHER: {
    severity: 'warning',
    en: (p) => `${s(p, 'label')} outside a voucher block; ignored.`,
    sv: (p) => `${s(p, 'label')} utanför verifikationsblock; ignoreras.`,
  },
  CURRENCY_NOT_SEK: {
    severity: 'warning',
    en: (p) => `Currency is ${s(p, 'currency')}, not SEK; benchmarks assume SEK.`,
    sv: (p) => `Valutan är ${s(p, 'currency')}, inte SEK; jämförelserna förutsätter SEK.`,
  },
  LINE_TOO_LONG: {
    severity: 'warning',
    en: (p) => `Line is longer than ${s(p, 'max')} bytes; the rest was ignored.`,
    sv: (p) => `Raden är längre än ${s(p, 'max')} byte; resten ignorerades.`,
  },
  AMOUNT_OVERFLOW: {
    severity: 'warning',
    en: (p) =>
      `Sums for year ${s(p, 'index')} exceed the exact integer range; the year is unreliable.`,
    sv: (p) =>
      `Summorna för år ${s(p, 'index')} överskrider exakt heltalsintervall; året är opålitligt.`,
  },
  DIAGNOSTICS_CAPPED: {
    severity: 'warning',
    en: (p) => `${s(p, 'omitted')} more ${s(p, 'code')} diagnostics were omitted.`,
    sv: (p) => `Ytterligare ${s(p, 'omitted')} ${s(p, 'code')}-meddelanden utelämnades.`,
  },
};

/** Builds a diagnostic from its code, line and template parameters. */
export function makeDiagnostic(
  code: DiagnosticCode,
  line: number,
  params: DiagnosticParams = {},
): Diagnostic {
  const def = DIAGNOSTIC_MESSAGES[code];
  return {
    line: Math.max(1, Math.trunc(line)),
    severity: def.severity,
    code,
    message: def.en(params),
    messageSv: def.sv(params),
    params,
  };
}

/** Öre as a readable SEK amount for messages (`-123450` → `-1234.50`). */
export function formatOre(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
