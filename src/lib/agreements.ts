import {
  CONTRACT_CATEGORIES,
  contractCategory,
  isCounty,
  noticeStatus,
  urgencyOrder,
  type ContractCategory,
  type ContractComparison,
  type ContractPrivate,
  type ContractTerms,
  type NoticeStatus,
} from '../../domain/contracts';
import { noticeCalendar, type NoticeEvent } from '../../domain/contract-ics';
import { COUNTY_CODES } from '../../domain/profile';
import type { QueuedContractChange } from './contract-drafts';
import type { OpenContract } from './core/finance/contracts';

/**
 * What the agreements page, the dashboard section and the reminders show (issue #7): the
 * stored agreements of one entity overlaid with the changes still queued on this device, each
 * with its notice status for today. Pure: the screens fetch, this combines and formats.
 */
export type Lang = 'sv' | 'en';

export type AgreementState = 'synced' | 'queued' | 'removing' | 'refused';

export interface AgreementRow {
  id: string;
  terms: ContractTerms;
  /** Null when it could not be opened on this device. */
  private: ContractPrivate | null;
  /** Null while a change is queued (the comparison comes with the saved version). */
  comparison: ContractComparison | null;
  state: AgreementState;
  /** The queued change behind the row, if any. */
  draftId: string | null;
  notice: NoticeStatus;
}

/** Server rows with the queued changes of the same entity applied, oldest change first. */
export function agreementRows(
  stored: readonly OpenContract[],
  queued: readonly QueuedContractChange[],
  today: string,
): AgreementRow[] {
  const rows = new Map<string, AgreementRow>();
  for (const contract of stored) {
    rows.set(contract.id, {
      id: contract.id,
      terms: contract.terms,
      private: contract.private,
      comparison: contract.comparison,
      state: 'synced',
      draftId: null,
      notice: noticeStatus(contract.terms, today),
    });
  }
  for (const change of queued) {
    const { content } = change;
    const pending = change.state === 'refused' ? 'refused' : null;
    if (content.action === 'save') {
      rows.set(content.input.id, {
        id: content.input.id,
        terms: content.input.terms,
        private: content.input.private,
        comparison: null,
        state: pending ?? 'queued',
        draftId: change.id,
        notice: noticeStatus(content.input.terms, today),
      });
    } else {
      const row = rows.get(content.contractId);
      if (row) rows.set(row.id, { ...row, state: pending ?? 'removing', draftId: change.id });
    }
  }
  const order = (category: ContractCategory) => CONTRACT_CATEGORIES.indexOf(category);
  return [...rows.values()].sort(
    (a, b) =>
      order(a.terms.category) - order(b.terms.category) ||
      (a.private?.supplier ?? '').localeCompare(b.private?.supplier ?? '') ||
      a.id.localeCompare(b.id),
  );
}

/** Rows with a notice status, the most urgent first (agreements being deleted left out). */
export const byUrgency = (rows: readonly AgreementRow[]): AgreementRow[] =>
  rows.filter((row) => row.state !== 'removing').sort((a, b) => urgencyOrder(a.notice, b.notice));

/** "El – Kraftbolaget AB", or the category alone. */
export function agreementName(row: Pick<AgreementRow, 'terms' | 'private'>, lang: Lang): string {
  const category = contractCategory(row.terms.category).name[lang];
  const supplier = row.private?.supplier.trim();
  return supplier ? `${category} – ${supplier}` : category;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const numberFormat = (lang: Lang, options: Intl.NumberFormatOptions) => {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE', options);
    numberFormats.set(key, format);
  }
  return format;
};

/** A number as people read prices: three significant digits, whole numbers from 1 000. */
export const formatNumber = (value: number, lang: Lang): string =>
  Math.abs(value) >= 1000
    ? numberFormat(lang, { maximumFractionDigits: 0 }).format(value)
    : numberFormat(lang, { maximumSignificantDigits: 3 }).format(value);

/** A unit price in its category's unit: "138 öre/kWh", "1 540 kr/m²/år". */
export const formatUnitPrice = (value: number, category: ContractCategory, lang: Lang): string =>
  `${formatNumber(value, lang)} ${contractCategory(category).price.label[lang]}`;

/** Whole kronor with thousands separators. */
export const formatKr = (value: number, lang: Lang): string =>
  numberFormat(lang, { maximumFractionDigits: 0 }).format(Math.round(value));

/** A price area as is (SE3), a county by name (Kronoberg). */
export const regionName = (region: string): string =>
  isCounty(region) ? COUNTY_CODES[region] : region;

/** `YYYY-MM` as "dec. 2026" / "Dec 2026". */
export const formatMonth = (month: string, lang: Lang): string =>
  new Date(`${month}-01T00:00:00Z`).toLocaleDateString(lang === 'en' ? 'en-GB' : 'sv-SE', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'short',
  });

/** The sum of the potential savings of synced agreements, SEK a year. */
export const totalSaving = (rows: readonly AgreementRow[]): number =>
  rows.reduce((sum, row) => sum + (row.comparison?.saving ?? 0), 0);

/** The words an .ics export needs, in the user's language. */
export interface CalendarTexts {
  calendarName: string;
  summary: (name: string) => string;
  description: (row: AgreementRow) => string;
}

/** One event per agreement with a notice date still ahead (built on this device only). */
export function agreementCalendar(
  rows: readonly AgreementRow[],
  lang: Lang,
  texts: CalendarTexts,
  now: Date,
): { ics: string; events: number } {
  const events: NoticeEvent[] = byUrgency(rows).flatMap((row) =>
    row.notice.kind === 'notice'
      ? [
          {
            id: row.id,
            date: row.notice.noticeBy,
            summary: texts.summary(agreementName(row, lang)),
            description: texts.description(row),
          },
        ]
      : [],
  );
  return { ics: noticeCalendar(events, { now, name: texts.calendarName }), events: events.length };
}
