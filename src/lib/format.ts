/** Locale-aware formatting shared by every screen. Amounts arrive as integer öre. */

const kronorFormats = new Map<string, Intl.NumberFormat>();

export function formatKronor(ore: number, locale: string): string {
  let format = kronorFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale === 'en' ? 'en-SE' : 'sv-SE', {
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    });
    kronorFormats.set(locale, format);
  }
  return format.format(Math.round(ore / 100));
}

export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: digits })} ${units[unit]}`;
}

export function formatDate(iso: string, locale: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(locale === 'en' ? 'en-GB' : 'sv-SE', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}

/** A point in time (ISO string from the API) as date and time in the user's language. */
export function formatDateTime(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'sv-SE', {
    dateStyle: 'short',
    timeStyle: 'short',
  });
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const numberFormat = (locale: string, digits: number, style: 'decimal' | 'percent' = 'decimal') => {
  const id = `${locale}|${digits}|${style}`;
  let format = numberFormats.get(id);
  if (!format) {
    format = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'sv-SE', {
      style,
      minimumFractionDigits: 0,
      maximumFractionDigits: digits,
    });
    numberFormats.set(id, format);
  }
  return format;
};

/**
 * A benchmark figure in its unit (see domain/ratios.ts): a `ratio` as a percentage with one
 * decimal, `sek` as whole kronor with the currency, `days` and `times` with one decimal at
 * most. Text for `days`/`times` comes from the caller's dictionary via `unitText`.
 */
export function formatMetric(
  value: number,
  unit: 'ratio' | 'sek' | 'days' | 'times',
  locale: string,
  unitText: { days: (v: string) => string; times: (v: string) => string },
): string {
  switch (unit) {
    case 'ratio':
      return numberFormat(locale, 1, 'percent').format(value);
    case 'sek':
      return `${numberFormat(locale, 0).format(Math.round(value))} kr`;
    case 'days':
      return unitText.days(numberFormat(locale, Math.abs(value) < 10 ? 1 : 0).format(value));
    case 'times':
      return unitText.times(numberFormat(locale, 1).format(value));
  }
}
