/**
 * What a bureau should look at first for one client: weak liquidity, negative equity, no
 * uploaded year, an agreement whose last day to give notice is near. Pure: the console, its
 * CSV export and any later report read the same list.
 */
import type { BenchmarkItem, BenchmarkYear } from '../../../domain/benchmark';
import {
  isDue,
  noticeStatus,
  REMINDER_DAYS,
  type IsoDate,
  type NoticeTerms,
} from '../../../domain/contract-notice';
import type { KeyRatioId } from '../../../domain/ratios';

/** The liquidity figures whose value under the group's lower quartile raises an alert. */
export const LIQUIDITY_ALERT_METRICS = [
  'quick_ratio',
  'current_ratio',
] as const satisfies readonly KeyRatioId[];
export type LiquidityMetric = (typeof LIQUIDITY_ALERT_METRICS)[number];

export type Alert =
  /** Quick or current ratio below the peer group's p25 (the metrics that are). */
  | { kind: 'liquidity-below-p25'; metrics: LiquidityMetric[] }
  /** Adjusted equity below zero: the equity ratio is negative. */
  | { kind: 'negative-equity' }
  /** The client has not uploaded any fiscal year (no benchmark until it does). */
  | { kind: 'no-year' }
  /** Agreements whose notice date falls within the reminder window; the nearest date. */
  | { kind: 'notice-soon'; count: number; nearest: IsoDate };

export type AlertKind = Alert['kind'];

/** In the order a reader should see them: the most pressing first. */
export const ALERT_KINDS = [
  'no-year',
  'notice-soon',
  'negative-equity',
  'liquidity-below-p25',
] as const satisfies readonly AlertKind[];

const itemOf = (year: BenchmarkYear, id: KeyRatioId): BenchmarkItem | undefined =>
  year.items.find((item) => item.id === id);

const belowLowerQuartile = (item: BenchmarkItem | undefined): boolean =>
  item !== undefined && item.value !== null && item.p25 !== undefined && item.value < item.p25;

/** Alerts read from one benchmarked year: liquidity under the lower quartile, negative equity. */
export function yearAlerts(year: BenchmarkYear): Alert[] {
  const found: Alert[] = [];
  const equityRatio = itemOf(year, 'equity_ratio')?.value ?? null;
  if (equityRatio !== null && equityRatio < 0) found.push({ kind: 'negative-equity' });
  const weak = LIQUIDITY_ALERT_METRICS.filter((id) => belowLowerQuartile(itemOf(year, id)));
  if (weak.length > 0) found.push({ kind: 'liquidity-below-p25', metrics: weak });
  return found;
}

/**
 * One alert for every agreement whose notice date (domain/contract-notice.ts, renewals rolled
 * forward) is today or within the next `days` days; none when no agreement is due.
 */
export function noticeAlerts(
  agreements: readonly NoticeTerms[],
  today: IsoDate,
  days: number = REMINDER_DAYS,
): Alert[] {
  const due = agreements
    .map((terms) => noticeStatus(terms, today))
    .flatMap((status) => (status.kind === 'notice' && isDue(status, days) ? [status.noticeBy] : []))
    .sort();
  const nearest = due[0];
  return nearest === undefined ? [] : [{ kind: 'notice-soon', count: due.length, nearest }];
}

export interface AlertInput {
  /** The year shown (null: none, e.g. nothing uploaded or not fetched yet). */
  year: BenchmarkYear | null;
  /** Whether the client has uploaded at least one fiscal year (false: say so). */
  uploaded: boolean;
  /** The client's agreements (their notice terms); empty when it has none. */
  agreements: readonly NoticeTerms[];
  today: IsoDate;
}

/** Every alert of a client, most pressing first. */
export function alerts(input: AlertInput): Alert[] {
  const found = [
    ...(input.uploaded ? [] : [{ kind: 'no-year' } satisfies Alert]),
    ...noticeAlerts(input.agreements, input.today),
    ...(input.year ? yearAlerts(input.year) : []),
  ];
  return found.sort((a, b) => ALERT_KINDS.indexOf(a.kind) - ALERT_KINDS.indexOf(b.kind));
}
