/**
 * Month arithmetic and the notice-date rule of supplier agreements (issue #7). Agreements are
 * month-granular (`YYYY-MM`): a term ends on the last day of its end month.
 *
 * The rule. Notice given on day D with a notice period of N months takes effect N months
 * later (same day of the month, or the month's last day where that day does not exist —
 * the Swedish rule for periods counted in months). The latest D whose period still ends
 * by the term end (the last day of month M) is therefore the **last day of month M − N**:
 * every day of month M − N plus N months lands inside month M, every day of month M − N + 1
 * lands in month M + 1. So a term ending 2026-12 with 3 months' notice must be given notice
 * by 2026-09-30, one ending 2027-02 with 1 month's notice by 2027-01-31.
 *
 * With automatic renewal, once that date has passed the term rolls forward by the renewal
 * length (as often as needed) until the notice date is today or later. Without renewal the
 * agreement simply ends with its term; an agreement without an end month (open-ended) can be
 * ended any day, taking effect at the end of the month N months later.
 */
import { z } from 'zod';

/** `YYYY-MM` between 1990-01 and 2100-12. */
export const monthSchema = z
  .string()
  .regex(/^(199\d|20\d\d|2100)-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM (1990–2100)');

/** `YYYY-MM-DD`. */
export type IsoDate = string;

/** Days before a notice date from which the app reminds the user. */
export const REMINDER_DAYS = 60;

/** Months since year 0 (so that months can be added and compared as integers). */
export const monthIndex = (month: string): number => {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return year * 12 + (m - 1);
};

export const monthFromIndex = (index: number): string => {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
};

export const addMonths = (month: string, count: number): string =>
  monthFromIndex(monthIndex(month) + count);

/** Months from `from` to `to`, both included (`2026-01`…`2026-12` is 12). */
export const monthsInclusive = (from: string, to: string): number =>
  monthIndex(to) - monthIndex(from) + 1;

/** The number of days of a month (Gregorian calendar). */
export const daysInMonth = (month: string): number => {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
};

/** The last day of a month as `YYYY-MM-DD`. */
export const lastDayOfMonth = (month: string): IsoDate =>
  `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: IsoDate, to: IsoDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The calendar date of `now` where the user is (local time), as `YYYY-MM-DD`. */
export const localToday = (now: Date = new Date()): IsoDate =>
  `${String(now.getFullYear()).padStart(4, '0')}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;

/** The month of a date. */
export const monthOfDate = (date: IsoDate): string => date.slice(0, 7);

/** The terms the rule needs. */
export interface NoticeTerms {
  /** Last month of the current term; null for an open-ended agreement. */
  endMonth: string | null;
  /** Notice period in months (0: notice until the last day of the term). */
  noticeMonths: number;
  /** Automatic renewal: months the term is extended by, or null for none. */
  renewalMonths: number | null;
}

export type NoticeStatus =
  /** Notice must be given by `noticeBy` (today or later) or the term runs to `termEnd`. */
  | {
      kind: 'notice';
      noticeBy: IsoDate;
      daysLeft: number;
      termEnd: string;
      /** How many times the term has renewed itself since the end month entered. */
      renewals: number;
      renews: boolean;
    }
  /** No renewal, the notice date has passed: the agreement ends with `termEnd`. */
  | { kind: 'expiring'; noticeBy: IsoDate; termEnd: string }
  /** No renewal and the term is over. */
  | { kind: 'ended'; termEnd: string }
  /** No end month: notice any day; given today it ends with `earliestEnd`. */
  | { kind: 'open-ended'; earliestEnd: string };

/** The last day to give notice for a term ending with month `endMonth`. */
export const noticeDeadline = (endMonth: string, noticeMonths: number): IsoDate =>
  lastDayOfMonth(addMonths(endMonth, -noticeMonths));

/**
 * Where an agreement stands on `today`: the last day to give notice (rolling automatically
 * renewing terms forward past dates that have gone by), or that it ends, has ended or is
 * open-ended.
 */
export function noticeStatus(terms: NoticeTerms, today: IsoDate): NoticeStatus {
  if (terms.endMonth === null) {
    return { kind: 'open-ended', earliestEnd: addMonths(monthOfDate(today), terms.noticeMonths) };
  }
  let termEnd = terms.endMonth;
  let noticeBy = noticeDeadline(termEnd, terms.noticeMonths);
  const renewal = terms.renewalMonths;
  if (renewal === null || renewal <= 0) {
    if (noticeBy >= today) {
      return {
        kind: 'notice',
        noticeBy,
        daysLeft: daysBetween(today, noticeBy),
        termEnd,
        renewals: 0,
        renews: false,
      };
    }
    return lastDayOfMonth(termEnd) >= today
      ? { kind: 'expiring', noticeBy, termEnd }
      : { kind: 'ended', termEnd };
  }
  // Jump straight to the first renewal whose notice date is not before today.
  const behind =
    monthIndex(monthOfDate(today)) - monthIndex(addMonths(termEnd, -terms.noticeMonths));
  let renewals = behind > 0 ? Math.floor(behind / renewal) : 0;
  termEnd = addMonths(terms.endMonth, renewals * renewal);
  noticeBy = noticeDeadline(termEnd, terms.noticeMonths);
  while (noticeBy < today) {
    renewals += 1;
    termEnd = addMonths(termEnd, renewal);
    noticeBy = noticeDeadline(termEnd, terms.noticeMonths);
  }
  return {
    kind: 'notice',
    noticeBy,
    daysLeft: daysBetween(today, noticeBy),
    termEnd,
    renewals,
    renews: true,
  };
}

/** Whether the agreement still runs in `month` (open-ended, renewing, or not yet ended). */
export const runsIn = (terms: NoticeTerms, month: string): boolean =>
  terms.endMonth === null ||
  (terms.renewalMonths !== null && terms.renewalMonths > 0) ||
  terms.endMonth >= month;

/** Sort key of urgency: nearest notice date first, then expiring, open-ended, ended. */
export function urgencyOrder(a: NoticeStatus, b: NoticeStatus): number {
  const rank = (s: NoticeStatus) =>
    s.kind === 'notice' ? 0 : s.kind === 'expiring' ? 1 : s.kind === 'open-ended' ? 2 : 3;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a.kind === 'notice' && b.kind === 'notice')
    return a.noticeBy < b.noticeBy ? -1 : a.noticeBy > b.noticeBy ? 1 : 0;
  return 0;
}

/** A notice date within the reminder window (today included). */
export const isDue = (status: NoticeStatus, days: number = REMINDER_DAYS): boolean =>
  status.kind === 'notice' && status.daysLeft <= days;
