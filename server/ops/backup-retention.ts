/**
 * Which backups a destination keeps: the newest backup of each of the last `daily` days,
 * `weekly` ISO weeks and `monthly` months that have a backup (days, weeks and months in
 * UTC, like the file names). Periods without a backup do not use up a slot, so a server
 * that was down for a while still keeps as many backups as a server that never was.
 */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION = {
  daily: 7,
  weekly: 4,
  monthly: 12,
} as const satisfies RetentionPolicy;

const DAY_MS = 24 * 60 * 60 * 1000;

export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export const utcMonth = (at: Date) => at.toISOString().slice(0, 7);

/** ISO 8601 week of a UTC instant, e.g. `2025-W01` (which starts on Monday 2024-12-30). */
export function isoWeek(at: Date): string {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const mondayBased = (at.getUTCDay() + 6) % 7;
  // The week belongs to the year its Thursday falls in.
  const thursday = new Date(midnight + (3 - mondayBased) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The newest item of each of the `count` most recent periods; `newestFirst` is sorted. */
function newestPerPeriod<T>(
  newestFirst: readonly T[],
  periodOf: (item: T) => string,
  count: number,
) {
  const seen = new Set<string>();
  return newestFirst.filter((item) => {
    const period = periodOf(item);
    if (seen.has(period) || seen.size >= count) return false;
    seen.add(period);
    return true;
  });
}

export function selectRetained<T extends { created: string }>(
  backups: readonly T[],
  policy: RetentionPolicy = DEFAULT_RETENTION,
): { keep: T[]; drop: T[] } {
  const at = (item: T) => new Date(item.created);
  const newestFirst = [...backups].sort((a, b) => at(b).getTime() - at(a).getTime());
  const kept = new Set<T>([
    ...newestPerPeriod(newestFirst, (item) => utcDay(at(item)), policy.daily),
    ...newestPerPeriod(newestFirst, (item) => isoWeek(at(item)), policy.weekly),
    ...newestPerPeriod(newestFirst, (item) => utcMonth(at(item)), policy.monthly),
  ]);
  return {
    keep: newestFirst.filter((item) => kept.has(item)),
    drop: newestFirst.filter((item) => !kept.has(item)),
  };
}
