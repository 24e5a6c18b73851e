/**
 * Exact amount and date parsing from bytes. Amounts become integer öre without ever touching
 * floating point: `-1234.5` → -123450. `.` is the decimal separator; `,` is tolerated
 * (flagged so the caller can warn once).
 */

/** Flags reported by {@link parseOre} through its `status` argument. */
export const AMOUNT_DECIMAL_COMMA = 1;
/** More than two decimals that were not all zero: the value was rounded half away from zero. */
export const AMOUNT_ROUNDED = 2;

export interface AmountStatus {
  flags: number;
}

/** Largest accepted integer part (13 digits of kronor keeps öre within 2^53). */
const MAX_INTEGER_DIGITS = 13;

/**
 * Parses `buf[start, end)` as an SIE amount and returns integer öre, or NaN when the text is
 * not an amount. Accepts an optional leading `-` or `+`, digits, and an optional `.`/`,`
 * followed by decimals.
 */
export function parseOre(
  buf: Uint8Array,
  start: number,
  end: number,
  status: AmountStatus,
): number {
  status.flags = 0;
  let i = start;
  if (i >= end) return NaN;
  let negative = false;
  let c = buf[i] ?? 0;
  if (c === 45 /* - */) {
    negative = true;
    i++;
  } else if (c === 43 /* + */) i++;
  let int = 0;
  let intDigits = 0;
  while (i < end && (c = buf[i] ?? 0) >= 48 && c <= 57) {
    int = int * 10 + (c - 48);
    intDigits++;
    i++;
  }
  if (intDigits > MAX_INTEGER_DIGITS) return NaN;
  let frac = 0;
  let fracDigits = 0;
  if (i < end) {
    if (c === 44 /* , */) status.flags |= AMOUNT_DECIMAL_COMMA;
    else if (c !== 46 /* . */) return NaN;
    i++;
    let roundUp = false;
    let extra = false;
    while (i < end && (c = buf[i] ?? 0) >= 48 && c <= 57) {
      if (fracDigits < 2) frac = frac * 10 + (c - 48);
      else if (fracDigits === 2) {
        roundUp = c >= 53;
        if (c !== 48) extra = true;
      } else if (c !== 48) extra = true;
      fracDigits++;
      i++;
    }
    if (i < end) return NaN;
    if (fracDigits === 0 && intDigits === 0) return NaN;
    if (fracDigits === 1) frac *= 10;
    if (extra) {
      status.flags |= AMOUNT_ROUNDED;
      if (roundUp) frac++;
    }
  } else if (intDigits === 0) return NaN;
  const ore = int * 100 + frac;
  return negative && ore !== 0 ? -ore : ore;
}

const encoder = new TextEncoder();

/** String convenience wrapper around {@link parseOre} (tests, CLI). */
export function parseOreString(text: string): { ore: number; flags: number } | null {
  const bytes = encoder.encode(text.trim());
  const status = { flags: 0 };
  const ore = parseOre(bytes, 0, bytes.length, status);
  return Number.isNaN(ore) ? null : { ore, flags: status.flags };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an 8-digit `YYYYMMDD` date to the number yyyymmdd, or -1 when it is not a real date
 * (month 1–12, day within the month, leap years honoured).
 */
export function parseDate(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 8) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return isValidYmd(v) ? v : -1;
}

export function isValidYmd(v: number): boolean {
  const year = Math.floor(v / 10000);
  const month = Math.floor(v / 100) % 100;
  const day = v % 100;
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const max = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= max;
}

/** Parses `YYYYMM` (a #PSALDO period) to the number yyyymm, or -1. */
export function parsePeriod(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 6) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  const month = v % 100;
  return month >= 1 && month <= 12 ? v : -1;
}

/** yyyymmdd → `YYYY-MM-DD`. */
export function ymdToIso(v: number): string {
  const s = String(v).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** `YYYYMMDD` string → `YYYY-MM-DD`, or null when not a valid date. */
export function sieDateToIso(text: string): string | null {
  const bytes = encoder.encode(text);
  const v = parseDate(bytes, 0, bytes.length);
  return v < 0 ? null : ymdToIso(v);
}
