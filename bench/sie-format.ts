/** Field formatting for SIE records (amounts in öre, dates, quoted strings). */

/** Integer öre as an SIE amount with two decimals, e.g. -123456 → "-1234.56". */
export const formatOre = (ore: number): string => {
  if (!Number.isSafeInteger(ore)) throw new RangeError(`Amount ${ore} is not an integer öre`);
  const abs = Math.abs(ore);
  const cents = abs % 100;
  return `${ore < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
};

/** SIE quoted field: wraps in double quotes and escapes embedded quotes as \". */
export const quote = (text: string): string => `"${text.replaceAll('"', '\\"')}"`;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** YYYYMMDD for a UTC day. */
export const sieDate = (date: Date): string =>
  `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}`;

/** YYYY-MM-DD for a SIE date string. */
export const isoDate = (sie: string): string =>
  `${sie.slice(0, 4)}-${sie.slice(4, 6)}-${sie.slice(6, 8)}`;

/** All days of a calendar year as SIE dates. */
export const daysOfYear = (year: number): readonly string[] => {
  const first = Date.UTC(year, 0, 1);
  const count = Math.round((Date.UTC(year + 1, 0, 1) - first) / 86_400_000);
  return Array.from({ length: count }, (_, d) => sieDate(new Date(first + d * 86_400_000)));
};
