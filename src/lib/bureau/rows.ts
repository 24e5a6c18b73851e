/**
 * One row of the bureau console per client: what its benchmark answer (or its absence) says,
 * reduced to the columns a bureau scans: the year, the overall index, three key figures with
 * their indices, the peer group's size and the alerts.
 */
import type { BenchmarkItem, BenchmarkResult, BenchmarkYear } from '../../../domain/benchmark';
import type { IsoDate, NoticeTerms } from '../../../domain/contract-notice';
import type { KeyRatioId } from '../../../domain/ratios';
import { mainPeerGroup } from '../benchmark-summary';
import { alerts, type Alert } from './alerts';

/** The key figures the console shows, in column order. */
export const KEY_FIGURES = [
  'net_margin',
  'equity_ratio',
  'quick_ratio',
] as const satisfies readonly KeyRatioId[];
export type KeyFigure = (typeof KEY_FIGURES)[number];

export interface Figure {
  value: number | null;
  index: number | null;
}

/** A bureau client as the console knows it (the label is decrypted on this device). */
export interface ConsoleClient {
  /** The link id: the key of the row and of `/dashboard?t=`. */
  key: string;
  orgId: string;
  orgName: string;
  label: string;
}

/** Where fetching a client's benchmark stands. */
export type ClientOutcome =
  | { state: 'pending' }
  | { state: 'benchmarked'; result: BenchmarkResult }
  /** The finance API refused with NO_CONTRIBUTION: nothing uploaded yet. */
  | { state: 'no-upload' }
  | { state: 'failed'; message: string };

export type RowState = ClientOutcome['state'];

export interface ConsoleRow extends ConsoleClient {
  state: RowState;
  /** Every fiscal year the client has uploaded, newest first. */
  years: number[];
  /** The fiscal year shown (null: none). */
  year: number | null;
  overallIndex: number | null;
  figures: Record<KeyFigure, Figure>;
  /** Companies in the peer group most figures were compared with (null: none released). */
  peers: number | null;
  alerts: Alert[];
  /** Why fetching failed (state `failed`), for the row. */
  failure: string | null;
}

export interface RowContext {
  /** The fiscal year to show; null: each client's newest. */
  year: number | null;
  /** The client's agreements (notice terms) for the notice alert. */
  agreements: readonly NoticeTerms[];
  today: IsoDate;
}

/**
 * The peer group most figures of a year were compared with, and its largest size among
 * them: the group the dashboard names in its headline (one definition, shared).
 */
export const headlineGroup = mainPeerGroup;

/** The year asked for, else the newest (`selected` is the newest when none was asked). */
export function yearShown(result: BenchmarkResult, year: number | null): BenchmarkYear | null {
  if (year === null) return result.selected;
  return result.history.find((y) => y.year === year) ?? null;
}

/** A value for each key figure (the one place that spells them out as a record). */
export const perKeyFigure = <T>(make: (id: KeyFigure) => T): Record<KeyFigure, T> => ({
  net_margin: make('net_margin'),
  equity_ratio: make('equity_ratio'),
  quick_ratio: make('quick_ratio'),
});

/** The key figures of a year's items (value and index null where absent). */
const figuresOf = (items: readonly BenchmarkItem[]): Record<KeyFigure, Figure> =>
  perKeyFigure((id) => {
    const item = items.find((i) => i.id === id);
    return { value: item?.value ?? null, index: item?.index ?? null };
  });

/** The row of one client, from where fetching its benchmark stands. */
export function consoleRow(
  client: ConsoleClient,
  outcome: ClientOutcome,
  context: RowContext,
): ConsoleRow {
  const base = { ...client, state: outcome.state, failure: null };
  const noticeOnly = { year: null, agreements: context.agreements, today: context.today };
  if (outcome.state !== 'benchmarked') {
    return {
      ...base,
      years: [],
      year: null,
      overallIndex: null,
      figures: figuresOf([]),
      peers: null,
      // Pending or failed: only what is known without the benchmark (the agreements).
      alerts: alerts({ ...noticeOnly, uploaded: outcome.state !== 'no-upload' }),
      failure: outcome.state === 'failed' ? outcome.message : null,
    };
  }
  const { result } = outcome;
  const shown = yearShown(result, context.year);
  return {
    ...base,
    years: [...result.years],
    year: shown?.year ?? null,
    overallIndex: shown?.overallIndex ?? null,
    figures: figuresOf(shown?.items ?? []),
    peers: shown ? (headlineGroup(shown.items)?.n ?? null) : null,
    alerts: alerts({ ...noticeOnly, year: shown, uploaded: true }),
  };
}
