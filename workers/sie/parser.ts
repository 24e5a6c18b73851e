/**
 * SIE record parser: turns lines (byte ranges) into calls on the aggregator, tracks identity
 * records for local display, the voucher block structure, #KSUMMA and mandatory records, and
 * raises diagnostics. One instance parses one file.
 */
import { accountGroup } from '../../domain/bas.ts';
import { formatOre } from '../../domain/sie-diagnostics.ts';
import type { SieType } from '../../domain/sie-summary.ts';
import type { Aggregator, BalanceKind } from './aggregate.ts';
import { KIND_IB, KIND_RES, KIND_UB } from './aggregate.ts';
import type { AmountStatus } from './amount.ts';
import {
  AMOUNT_DECIMAL_COMMA,
  AMOUNT_ROUNDED,
  parseDate,
  parseOre,
  parsePeriod,
  ymdToIso,
} from './amount.ts';
import type { DiagnosticSink } from './diagnostics.ts';
import type { SieEncoding } from './encoding.ts';
import type { KsummaState } from './ksumma.ts';
import { createKsummaState, ksummaAddLine } from './ksumma.ts';
import type { Fields } from './tokenizer.ts';
import {
  createFields,
  FIELD_BARE,
  FIELD_LIST,
  fieldAscii,
  fieldBytes,
  isBlank,
  tokenizeFields,
} from './tokenizer.ts';

const HASH = 35;
const SPACE = 32;
const TAB = 9;
const LBRACE = 123;
const RBRACE = 125;
const QUOTE_CHAR = 34;

/** Labels this parser understands (others are ignored, as the specification requires). */
export const KNOWN_LABELS = new Set([
  '#ADRESS',
  '#BKOD',
  '#BTRANS',
  '#DIM',
  '#ENHET',
  '#FLAGGA',
  '#FNAMN',
  '#FNR',
  '#FORMAT',
  '#FTYP',
  '#GEN',
  '#IB',
  '#KONTO',
  '#KPTYP',
  '#KSUMMA',
  '#KTYP',
  '#OBJEKT',
  '#OIB',
  '#OMFATTN',
  '#ORGNR',
  '#OUB',
  '#PBUDGET',
  '#PROGRAM',
  '#PROSA',
  '#PSALDO',
  '#RAR',
  '#RES',
  '#RTRANS',
  '#SIETYP',
  '#SRU',
  '#TAXAR',
  '#TRANS',
  '#UB',
  '#UNDERDIM',
  '#VALUTA',
  '#VER',
]);

const MANDATORY_COMMON = ['#FLAGGA', '#PROGRAM', '#FORMAT', '#GEN', '#FNAMN'];
const MANDATORY_BALANCES = ['#KONTO', '#RAR', '#IB', '#UB', '#RES'];
/** Mandatory records per SIE type (SIE 4B, "Obligatoriska poster"). */
export const MANDATORY_RECORDS: Readonly<Record<SieType, readonly string[]>> = {
  '1': [...MANDATORY_COMMON, ...MANDATORY_BALANCES],
  '2': [...MANDATORY_COMMON, '#SIETYP', ...MANDATORY_BALANCES, '#PSALDO'],
  '3': [...MANDATORY_COMMON, '#SIETYP', ...MANDATORY_BALANCES, '#PSALDO'],
  '4E': [...MANDATORY_COMMON, '#SIETYP', ...MANDATORY_BALANCES, '#VER'],
  '4I': [...MANDATORY_COMMON, '#SIETYP', '#VER'],
};

/** Maximum number of #KONTO names kept for display. */
const MAX_ACCOUNT_NAMES = 50_000;

export interface RawIdentity {
  name: Uint8Array | null;
  orgNumber: Uint8Array | null;
  fnr: Uint8Array | null;
  address: Uint8Array[] | null;
  programName: Uint8Array | null;
  programVersion: Uint8Array | null;
}

export interface ParseOutcome {
  /** Set when the file is rejected. */
  fatal: {
    code: 'NOT_SIE' | 'TRUNCATED' | 'NO_FISCAL_YEAR';
    line: number;
    params: Record<string, string | number>;
  } | null;
  sieTypeDeclared: string | null;
  sieTypeLine: number;
  declaredFormat: string | null;
  formatLine: number;
  currency: string | null;
  generated: number;
  identity: RawIdentity;
  /** Account → raw name bytes (decoded by the summarizer once the encoding is final). */
  accountNames: Map<string, Uint8Array>;
  labelsSeen: ReadonlySet<string>;
  ksumma: KsummaState;
  transactions: number;
  ignoredTransactions: number;
  firstRarLine: number;
}

export interface SieParser {
  line(buf: Uint8Array, start: number, end: number, lineNo: number): void;
  /** True once the file is known to be rejected (the caller may stop reading). */
  readonly rejected: boolean;
  finish(lastLine: number): ParseOutcome;
}

const SKIP_REASON_SV: Record<string, string> = {
  'class-9': 'klass 9, internredovisning',
  'class-0': 'klass 0, utanför kontoplanen',
  'non-numeric': 'inte numeriskt',
  'too-short': 'färre än fyra siffror',
};
const SKIP_REASON_EN: Record<string, string> = {
  'class-9': 'class 9, internal accounting',
  'class-0': 'class 0, outside the chart of accounts',
  'non-numeric': 'not numeric',
  'too-short': 'fewer than four digits',
};

/**
 * Account code from bytes: the first four digits as a number when the account is numeric with
 * at least four digits (`-1` otherwise). Class (first digit) 1–8 is what the caller keeps.
 */
export function accountCode(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 4) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c < 48 || c > 57) return -1;
    if (i < start + 4) v = v * 10 + (c - 48);
  }
  return v;
}

/**
 * Key for an account number in the #KONTO set. Kept within the small-integer range so the hot
 * path allocates nothing: all-digit accounts up to 8 digits map exactly to value·10 + length;
 * anything else to a negative 30-bit hash (collisions only weaken an advisory warning).
 */
function accountKey(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  let v = 0;
  let digits = len <= 8;
  for (let i = start; digits && i < end; i++) {
    const c = buf[i] ?? 0;
    if (c < 48 || c > 57) digits = false;
    else v = v * 10 + (c - 48);
  }
  if (digits) return v * 10 + len;
  let h = len;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (buf[i] ?? 0)) | 0;
  return -(h & 0x3fffffff) - 1;
}

export function createSieParser(
  agg: Aggregator,
  diag: DiagnosticSink,
  getEncoding: () => SieEncoding,
): SieParser {
  const f = createFields(24);
  const amountStatus: AmountStatus = { flags: 0 };
  const ks = createKsummaState();
  const labelsSeen = new Set<string>();
  const accountNames = new Map<string, Uint8Array>();
  const kontoKeys = new Set<number>();
  const warnedAccounts = new Set<string>();
  const warnedUnknown = new Set<number>();
  const warnedYearIdx = new Set<string>();
  const identity: RawIdentity = {
    name: null,
    orgNumber: null,
    fnr: null,
    address: null,
    programName: null,
    programVersion: null,
  };

  let fatal: ParseOutcome['fatal'] = null;
  let sawFirstRecord = false;
  let sieTypeDeclared: string | null = null;
  let sieTypeLine = 1;
  let declaredFormat: string | null = null;
  let formatLine = 1;
  let currency: string | null = null;
  let generated = -1;
  let transactions = 0;
  let ignoredTransactions = 0;
  let decimalCommaWarned = false;
  let firstRarLine = 0;

  // Voucher block state: 0 outside, 1 after #VER awaiting `{`, 2 inside `{ … }`.
  let voucherState = 0;
  let voucherLine = 0;
  let voucherDate = -1;
  const voucherId = new Uint8Array(64);
  let voucherIdLen = 0;

  const voucherName = (): string => {
    let s = '';
    for (let i = 0; i < voucherIdLen; i++) s += String.fromCharCode(voucherId[i] ?? 0);
    return s.trim() || `(line ${voucherLine})`;
  };

  const reject = (
    code: 'NOT_SIE' | 'TRUNCATED' | 'NO_FISCAL_YEAR',
    line: number,
    params: Record<string, string | number>,
  ): void => {
    if (!fatal) fatal = { code, line, params };
  };

  /** Checks an account for grouping; warns once per skipped account. Returns code or -1. */
  const usableAccount = (buf: Uint8Array, fi: number, lineNo: number): number => {
    const s = f.start[fi] ?? 0;
    const e = f.end[fi] ?? 0;
    const code = accountCode(buf, s, e);
    if (code >= 1000 && code < 9000) return code;
    const text = fieldAscii(buf, f, fi);
    if (!warnedAccounts.has(text)) {
      warnedAccounts.add(text);
      const r = accountGroup(text);
      const reason = r.ok ? 'class-0' : r.reason;
      diag.add('SKIPPED_ACCOUNT', lineNo, {
        account: text,
        reason: SKIP_REASON_EN[reason] ?? reason,
        reasonSv: SKIP_REASON_SV[reason] ?? reason,
      });
    }
    return -1;
  };

  /** Parses field `fi` as an amount, with diagnostics. NaN when invalid. */
  const amountAt = (buf: Uint8Array, fi: number, lineNo: number, label: string): number => {
    if (fi >= f.count || f.kind[fi] === FIELD_LIST) {
      diag.add('INVALID_RECORD', lineNo, { label });
      return NaN;
    }
    const v = parseOre(buf, f.start[fi] ?? 0, f.end[fi] ?? 0, amountStatus);
    if (Number.isNaN(v)) {
      diag.add('INVALID_AMOUNT', lineNo, { label, value: fieldAscii(buf, f, fi).slice(0, 40) });
      return NaN;
    }
    if (amountStatus.flags !== 0) {
      if (amountStatus.flags & AMOUNT_DECIMAL_COMMA && !decimalCommaWarned) {
        decimalCommaWarned = true;
        diag.add('DECIMAL_COMMA', lineNo);
      }
      if (amountStatus.flags & AMOUNT_ROUNDED) {
        diag.add('AMOUNT_PRECISION', lineNo, { value: fieldAscii(buf, f, fi).slice(0, 40) });
      }
    }
    return v;
  };

  const intAt = (buf: Uint8Array, fi: number): number => {
    if (fi >= f.count) return NaN;
    const t = fieldAscii(buf, f, fi);
    return /^[+-]?[0-9]{1,3}$/.test(t) ? Number(t) : NaN;
  };

  const yearKnown = (index: number, label: string, lineNo: number): boolean => {
    if (!agg.hasYears()) {
      // Without #RAR the year cannot be dated; the file is rejected later if it also lacks vouchers.
      return false;
    }
    if (agg.rarIndexKnown(index)) return true;
    const key = `${label}:${index}`;
    if (!warnedYearIdx.has(key)) {
      warnedYearIdx.add(key);
      diag.add('UNKNOWN_YEAR_INDEX', lineNo, { label, index });
    }
    return false;
  };

  const balanceRecord = (
    buf: Uint8Array,
    kind: BalanceKind,
    label: string,
    lineNo: number,
  ): void => {
    // #IB yearIdx account amount [qty]   (an object list here means an object balance: ignore)
    if (f.count < 4) {
      diag.add('INVALID_RECORD', lineNo, { label });
      return;
    }
    let amountField = 3;
    if (f.kind[3] === FIELD_LIST) {
      if (!isBlank(buf, f.start[3] ?? 0, f.end[3] ?? 0)) return;
      amountField = 4;
    }
    const index = intAt(buf, 1);
    if (Number.isNaN(index)) {
      diag.add('INVALID_RECORD', lineNo, { label });
      return;
    }
    const account = usableAccount(buf, 2, lineNo);
    if (account < 0) return;
    const amount = amountAt(buf, amountField, lineNo, label);
    if (Number.isNaN(amount)) return;
    if (!yearKnown(index, label, lineNo)) return;
    agg.balance(kind, index, account, amount);
  };

  const psaldoRecord = (buf: Uint8Array, lineNo: number): void => {
    // #PSALDO yearIdx period account {objects} amount [qty]; only `{}` rows are account totals.
    if (f.count < 5) {
      diag.add('INVALID_RECORD', lineNo, { label: '#PSALDO' });
      return;
    }
    let amountField = 4;
    if (f.kind[4] === FIELD_LIST) {
      if (!isBlank(buf, f.start[4] ?? 0, f.end[4] ?? 0)) return;
      amountField = 5;
    }
    const index = intAt(buf, 1);
    const period = parsePeriod(buf, f.start[2] ?? 0, f.end[2] ?? 0);
    if (Number.isNaN(index) || period < 0) {
      diag.add('INVALID_RECORD', lineNo, { label: '#PSALDO' });
      return;
    }
    const account = usableAccount(buf, 3, lineNo);
    if (account < 0) return;
    const amount = amountAt(buf, amountField, lineNo, '#PSALDO');
    if (Number.isNaN(amount) || !yearKnown(index, '#PSALDO', lineNo)) return;
    agg.psaldo(index, period, account, amount);
  };

  const closeVoucher = (lineNo: number): void => {
    const sum = agg.voucherEnd();
    if (sum !== 0) {
      diag.add('UNBALANCED_VOUCHER', voucherLine, { voucher: voucherName(), sum: formatOre(sum) });
    }
    voucherState = 0;
    void lineNo;
  };

  const verRecord = (buf: Uint8Array, lineNo: number): void => {
    if (voucherState === 2) {
      diag.add('MALFORMED_VOUCHER', lineNo, {
        reason: 'a new #VER starts before the previous voucher was closed with }',
        reasonSv: 'en ny #VER börjar innan föregående verifikation avslutats med }',
      });
      closeVoucher(lineNo);
    } else if (voucherState === 1) {
      diag.add('MALFORMED_VOUCHER', voucherLine, {
        reason: '#VER without a { … } block',
        reasonSv: '#VER saknar { … }-block',
      });
      agg.voucherEnd();
    }
    // #VER series verno date [text] [regdate] [sign]
    voucherLine = lineNo;
    voucherIdLen = 0;
    for (let fi = 1; fi <= 2 && fi < f.count; fi++) {
      if (fi === 2 && voucherIdLen < voucherId.length) voucherId[voucherIdLen++] = SPACE;
      for (let j = f.start[fi] ?? 0; j < (f.end[fi] ?? 0) && voucherIdLen < voucherId.length; j++) {
        voucherId[voucherIdLen++] = buf[j] ?? 0;
      }
    }
    voucherDate = f.count > 3 ? parseDate(buf, f.start[3] ?? 0, f.end[3] ?? 0) : -1;
    if (voucherDate < 0) {
      diag.add('INVALID_DATE', lineNo, {
        label: '#VER',
        value: f.count > 3 ? fieldAscii(buf, f, 3).slice(0, 20) : '',
      });
    } else if (!agg.dateInYears(voucherDate)) {
      diag.add('DATE_OUTSIDE_YEAR', lineNo, {
        voucher: voucherName(),
        date: ymdToIso(voucherDate),
      });
    }
    agg.voucherStart(voucherDate);
    voucherState = 1;
  };

  const transRecord = (buf: Uint8Array, lineNo: number): void => {
    // #TRANS account {objects} amount [transdate] [text] [qty] [sign]
    transactions++;
    if (f.count < 3) {
      diag.add('INVALID_RECORD', lineNo, { label: '#TRANS' });
      return;
    }
    const amountField = f.kind[2] === FIELD_LIST ? 3 : 2;
    const amount = amountAt(buf, amountField, lineNo, '#TRANS');
    if (Number.isNaN(amount)) return;
    const s = f.start[1] ?? 0;
    const e = f.end[1] ?? 0;
    if (kontoKeys.size > 0) {
      const key = accountKey(buf, s, e);
      if (!kontoKeys.has(key) && !warnedUnknown.has(key)) {
        warnedUnknown.add(key);
        diag.add('UNKNOWN_ACCOUNT', lineNo, { account: fieldAscii(buf, f, 1).slice(0, 40) });
      }
    }
    const code = accountCode(buf, s, e);
    if (code >= 1000 && code < 9000) {
      agg.trans(code, amount);
      return;
    }
    // Skipped accounts still count towards the voucher balance.
    agg.trans(-1, amount);
    usableAccount(buf, 1, lineNo);
  };

  /**
   * Allocation-free #TRANS for the common shape `account {objects} amount …` with a numeric
   * class 1–8 account and a plain amount. Returns false (caller falls back to the general
   * tokenizer path) for anything unusual, so diagnostics stay identical.
   */
  const fastTrans = (buf: Uint8Array, p: number, end: number): boolean => {
    let i = p;
    let c = 0;
    while (i < end && ((c = buf[i] ?? 0) === SPACE || c === TAB)) i++;
    const a0 = i;
    let code = 0;
    while (i < end && (c = buf[i] ?? 0) >= 48 && c <= 57) {
      if (i - a0 < 4) code = code * 10 + (c - 48);
      i++;
    }
    const a1 = i;
    if (a1 - a0 < 4 || code < 1000 || code >= 9000 || (c !== SPACE && c !== TAB)) return false;
    while (i < end && ((c = buf[i] ?? 0) === SPACE || c === TAB)) i++;
    if (c !== LBRACE) return false;
    i++;
    while (i < end && (c = buf[i] ?? 0) !== RBRACE && c !== QUOTE_CHAR) i++;
    if (c === QUOTE_CHAR) {
      // Quoted object ids: quote-aware scan.
      let inQuote = false;
      while (i < end) {
        c = buf[i] ?? 0;
        if (inQuote) {
          if (c === 92 && buf[i + 1] === QUOTE_CHAR) i++;
          else if (c === QUOTE_CHAR) inQuote = false;
        } else if (c === QUOTE_CHAR) inQuote = true;
        else if (c === RBRACE) break;
        i++;
      }
    }
    if (i >= end) return false;
    i++;
    while (i < end && ((c = buf[i] ?? 0) === SPACE || c === TAB)) i++;
    const m0 = i;
    while (i < end && (c = buf[i] ?? 0) !== SPACE && c !== TAB) i++;
    const amount = parseOre(buf, m0, i, amountStatus);
    if (Number.isNaN(amount) || amountStatus.flags !== 0) return false;
    if (kontoKeys.size > 0 && !kontoKeys.has(accountKey(buf, a0, a1))) return false;
    transactions++;
    agg.trans(code, amount);
    return true;
  };

  const textOf = (buf: Uint8Array, fi: number): Uint8Array | null =>
    fi < f.count && f.kind[fi] !== FIELD_LIST ? fieldBytes(buf, f, fi) : null;

  const handleRecord = (buf: Uint8Array, label: string, lineNo: number): void => {
    switch (label) {
      case '#IB':
        balanceRecord(buf, KIND_IB, label, lineNo);
        return;
      case '#UB':
        balanceRecord(buf, KIND_UB, label, lineNo);
        return;
      case '#RES':
        balanceRecord(buf, KIND_RES, label, lineNo);
        return;
      case '#PSALDO':
        psaldoRecord(buf, lineNo);
        return;
      case '#VER':
        verRecord(buf, lineNo);
        return;
      case '#RTRANS':
      case '#BTRANS':
        ignoredTransactions++;
        if (voucherState !== 2) diag.add('TRANS_OUTSIDE_VOUCHER', lineNo, { label });
        return;
      case '#RAR': {
        const index = intAt(buf, 1);
        const start = f.count > 2 ? parseDate(buf, f.start[2] ?? 0, f.end[2] ?? 0) : -1;
        const end = f.count > 3 ? parseDate(buf, f.start[3] ?? 0, f.end[3] ?? 0) : -1;
        if (Number.isNaN(index) || start < 0 || end < 0 || end < start) {
          diag.add('INVALID_RECORD', lineNo, { label });
          return;
        }
        if (agg.rarIndexKnown(index)) {
          diag.add('DUPLICATE_YEAR', lineNo, { index });
          return;
        }
        if (firstRarLine === 0) firstRarLine = lineNo;
        agg.rar(index, start, end, lineNo);
        return;
      }
      case '#KONTO': {
        if (f.count < 2) {
          diag.add('INVALID_RECORD', lineNo, { label });
          return;
        }
        kontoKeys.add(accountKey(buf, f.start[1] ?? 0, f.end[1] ?? 0));
        if (accountNames.size < MAX_ACCOUNT_NAMES) {
          const name = textOf(buf, 2);
          if (name) accountNames.set(fieldAscii(buf, f, 1), name);
        }
        return;
      }
      case '#SIETYP':
        if (f.count > 1) {
          sieTypeDeclared = fieldAscii(buf, f, 1);
          sieTypeLine = lineNo;
        }
        return;
      case '#FORMAT':
        if (f.count > 1) {
          declaredFormat = fieldAscii(buf, f, 1);
          formatLine = lineNo;
        }
        return;
      case '#VALUTA':
        if (f.count > 1) currency = fieldAscii(buf, f, 1).toUpperCase();
        return;
      case '#GEN':
        if (f.count > 1) generated = parseDate(buf, f.start[1] ?? 0, f.end[1] ?? 0);
        return;
      case '#FNAMN':
        identity.name = textOf(buf, 1);
        return;
      case '#ORGNR':
        identity.orgNumber = textOf(buf, 1);
        return;
      case '#FNR':
        identity.fnr = textOf(buf, 1);
        return;
      case '#ADRESS': {
        const parts: Uint8Array[] = [];
        for (let fi = 1; fi <= 4; fi++) parts.push(textOf(buf, fi) ?? new Uint8Array(0));
        identity.address = parts;
        return;
      }
      case '#PROGRAM':
        identity.programName = textOf(buf, 1);
        identity.programVersion = textOf(buf, 2);
        return;
      default:
        return;
    }
  };

  const line = (buf: Uint8Array, start: number, end: number, lineNo: number): void => {
    let s = start;
    if (
      lineNo === 1 &&
      end - s >= 3 &&
      buf[s] === 0xef &&
      buf[s + 1] === 0xbb &&
      buf[s + 2] === 0xbf
    ) {
      s += 3; // UTF-8 byte-order mark
    }
    let c = 0;
    while (s < end && ((c = buf[s] ?? 0) === SPACE || c === TAB)) s++;
    if (s >= end) return; // blank line

    if (ks.phase === 1) {
      // #KSUMMA open: sum every record except the closing #KSUMMA itself.
      if (!(c === HASH && isKsumma(buf, s, end))) ksummaAddLine(ks, buf, s, end, getEncoding());
    }

    if (c !== HASH) {
      if (!sawFirstRecord) {
        rejectNotSie(buf, s, end, lineNo);
        return;
      }
      if (c === LBRACE && isBlank(buf, s + 1, end)) {
        if (voucherState === 1) voucherState = 2;
        else
          diag.add('MALFORMED_VOUCHER', lineNo, {
            reason: '{ without a preceding #VER',
            reasonSv: '{ utan föregående #VER',
          });
        return;
      }
      if (c === RBRACE && isBlank(buf, s + 1, end)) {
        if (voucherState === 2) closeVoucher(lineNo);
        else
          diag.add('MALFORMED_VOUCHER', lineNo, {
            reason: '} without an open voucher',
            reasonSv: '} utan öppen verifikation',
          });
        return;
      }
      return; // not a record: ignored
    }

    // Fast path: #TRANS inside a voucher (the bulk of a type 4 file).
    if (
      end - s > 6 &&
      buf[s + 1] === 84 /* T */ &&
      buf[s + 2] === 82 /* R */ &&
      buf[s + 3] === 65 /* A */ &&
      buf[s + 4] === 78 /* N */ &&
      buf[s + 5] === 83 /* S */ &&
      ((c = buf[s + 6] ?? 0) === SPACE || c === TAB)
    ) {
      sawFirstRecord = true;
      if (voucherState !== 2) {
        transactions++;
        diag.add('TRANS_OUTSIDE_VOUCHER', lineNo, { label: '#TRANS' });
        return;
      }
      if (!fastTrans(buf, s + 7, end)) {
        tokenizeFields(buf, s, end, f, 5);
        transRecord(buf, lineNo);
      }
      return;
    }

    // Fast path: #VER (needs only series, number and date).
    if (
      sawFirstRecord &&
      end - s > 4 &&
      buf[s + 1] === 86 /* V */ &&
      buf[s + 2] === 69 /* E */ &&
      buf[s + 3] === 82 /* R */ &&
      ((c = buf[s + 4] ?? 0) === SPACE || c === TAB)
    ) {
      labelsSeen.add('#VER');
      tokenizeFields(buf, s, end, f, 4);
      if (voucherState === 1) {
        diag.add('MALFORMED_VOUCHER', voucherLine, {
          reason: '#VER without a { … } block',
          reasonSv: '#VER saknar { … }-block',
        });
        agg.voucherEnd();
        voucherState = 0;
      }
      verRecord(buf, lineNo);
      return;
    }

    tokenizeFields(buf, s, end, f);
    const label = labelOf(buf, f);
    if (!sawFirstRecord) {
      if (label.length < 2 || !isLabelText(label)) {
        rejectNotSie(buf, s, end, lineNo);
        return;
      }
      sawFirstRecord = true;
    }
    if (KNOWN_LABELS.has(label)) labelsSeen.add(label);

    if (label === '#KSUMMA') {
      if (ks.phase === 0) {
        ks.phase = 1;
        ks.openLine = lineNo;
      } else if (ks.phase === 1) {
        ks.phase = 2;
        const t = f.count > 1 ? fieldAscii(buf, f, 1) : '';
        ks.expected = /^[0-9]{1,10}$/.test(t) ? Number(t) : NaN;
      }
      return;
    }

    if (voucherState !== 0 && label !== '#TRANS' && label !== '#RTRANS' && label !== '#BTRANS') {
      if (voucherState === 2 && label !== '#VER') {
        // Unknown sub-records inside a voucher are ignored; only a new #VER breaks the block.
        return;
      }
    }
    if (label === '#TRANS') {
      if (voucherState !== 2) {
        transactions++;
        diag.add('TRANS_OUTSIDE_VOUCHER', lineNo, { label });
        return;
      }
      tokenizeFields(buf, s, end, f, 5);
      transRecord(buf, lineNo);
      return;
    }
    if (voucherState === 1 && label !== '#VER') {
      diag.add('MALFORMED_VOUCHER', voucherLine, {
        reason: '#VER without a { … } block',
        reasonSv: '#VER saknar { … }-block',
      });
      agg.voucherEnd();
      voucherState = 0;
    }
    handleRecord(buf, label, lineNo);
  };

  const rejectNotSie = (buf: Uint8Array, s: number, end: number, lineNo: number): void => {
    let head = '';
    for (let i = s; i < Math.min(end, s + 16); i++) head += String.fromCharCode(buf[i] ?? 0);
    const html = /^<(!doctype|html|\?xml|head|body)/i.test(head);
    reject('NOT_SIE', lineNo, {
      reason: html
        ? `line ${lineNo} is HTML ("${printable(head)}…"), probably a web page saved under an SIE name`
        : `line ${lineNo} does not start with an SIE record label ("${printable(head)}…")`,
      reasonSv: html
        ? `rad ${lineNo} är HTML ("${printable(head)}…"), troligen en webbsida sparad med SIE-namn`
        : `rad ${lineNo} börjar inte med en SIE-postetikett ("${printable(head)}…")`,
    });
  };

  return {
    line,
    get rejected() {
      return fatal !== null;
    },
    finish(lastLine) {
      if (!fatal) {
        if (!sawFirstRecord) {
          reject('NOT_SIE', 1, { reason: 'the file is empty', reasonSv: 'filen är tom' });
        } else if (labelsSeen.size === 0) {
          reject('NOT_SIE', 1, {
            reason: 'it contains no known SIE record',
            reasonSv: 'den innehåller ingen känd SIE-post',
          });
        } else if (ks.phase === 1) {
          reject('TRUNCATED', ks.openLine, {
            lastLine,
            reason: `#KSUMMA opened on line ${ks.openLine} is never closed`,
            reasonSv: `#KSUMMA som öppnas på rad ${ks.openLine} avslutas aldrig`,
          });
        } else if (voucherState !== 0) {
          reject('TRUNCATED', voucherLine, {
            lastLine,
            reason: `voucher ${voucherName()} starting on line ${voucherLine} is never closed with }`,
            reasonSv: `verifikation ${voucherName()} som börjar på rad ${voucherLine} avslutas aldrig med }`,
          });
        } else if (!agg.hasYears() && agg.voucherCount === 0) {
          reject('NO_FISCAL_YEAR', firstRarLine || 1, {});
        }
      }
      return {
        fatal,
        sieTypeDeclared,
        sieTypeLine,
        declaredFormat,
        formatLine,
        currency,
        generated,
        identity,
        accountNames,
        labelsSeen,
        ksumma: ks,
        transactions,
        ignoredTransactions,
        firstRarLine,
      };
    },
  };
}

function isKsumma(buf: Uint8Array, s: number, end: number): boolean {
  const k = '#KSUMMA';
  if (end - s < 7) return false;
  for (let i = 0; i < 7; i++) if (buf[s + i] !== k.charCodeAt(i)) return false;
  if (s + 7 >= end) return true;
  const c = buf[s + 7];
  return c === SPACE || c === TAB;
}

function labelOf(buf: Uint8Array, f: Fields): string {
  if (f.count === 0 || f.kind[0] !== FIELD_BARE) return '';
  let s = '';
  const e = Math.min(f.end[0] ?? 0, (f.start[0] ?? 0) + 16);
  for (let i = f.start[0] ?? 0; i < e; i++) {
    const c = buf[i] ?? 0;
    s += String.fromCharCode(c >= 97 && c <= 122 ? c - 32 : c);
  }
  return s;
}

function isLabelText(label: string): boolean {
  return /^#[A-Z][A-Z0-9_]*$/.test(label);
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
