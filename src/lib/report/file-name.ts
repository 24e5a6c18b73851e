/**
 * The report's file name, `Nyckel-<label-or-company>-<year>.pdf`, safe on every file system
 * and in a download header: letters lose their accents (å → a, é → e), anything but ASCII
 * letters, digits, dots and hyphens becomes a hyphen, and the name part is kept short.
 */
const MAX_NAME_LENGTH = 60;

export function reportFileName(name: string, year: number): string {
  const safe = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/[-.]+$/, '');
  return `Nyckel-${safe || 'rapport'}-${year}.pdf`;
}
