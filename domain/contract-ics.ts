/**
 * An iCalendar file (RFC 5545) of agreement notice dates, built on the device (the browser
 * downloads it as a Blob, the CLI could print it); nothing of it is ever sent to the server.
 *
 * One all-day VEVENT per agreement that has a notice date, with a UID derived from the
 * agreement's id (so importing a newer export updates the event instead of duplicating it),
 * a reminder 14 days before, CRLF line endings, text escaped (§3.3.11) and lines folded at
 * 75 octets without splitting a UTF-8 character (§3.1).
 */

export interface NoticeEvent {
  /** The agreement's id (UUID): the stable part of the UID. */
  id: string;
  /** `YYYY-MM-DD`: the last day to give notice. */
  date: string;
  summary: string;
  description: string;
}

export interface CalendarOptions {
  /** When the file is made (DTSTAMP). */
  now: Date;
  /** Days before the date at which calendars alert (0: no alarm). */
  alarmDays?: number;
  /** Calendar name shown by clients (X-WR-CALNAME). */
  name?: string;
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** TEXT value escaping: backslash, semicolon, comma and newlines. */
export const escapeText = (value: string): string =>
  value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

const encoder = new TextEncoder();

/**
 * Folds a content line into chunks of at most 75 octets (continuation lines start with one
 * space, which counts towards their 75), never inside a UTF-8 sequence.
 */
export function foldLine(line: string): string {
  const chunks: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      chunks.push(current);
      current = '';
      octets = 0;
      limit = MAX_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  chunks.push(current);
  return chunks.join(`${CRLF} `);
}

const basicDate = (iso: string) => iso.replace(/-/g, '');

const nextDay = (iso: string): string => {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

/** UTC date-time in basic format: 20261128T101500Z. */
const stamp = (date: Date) => `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/** The whole calendar as one string with CRLF line endings (ending in CRLF). */
export function noticeCalendar(events: readonly NoticeEvent[], options: CalendarOptions): string {
  const alarmDays = options.alarmDays ?? 14;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nyckel//Avtal//SV',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(options.name ? [`X-WR-CALNAME:${escapeText(options.name)}`] : []),
  ];
  for (const event of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:notice-${event.id}@nyckel`,
      `DTSTAMP:${stamp(options.now)}`,
      `DTSTART;VALUE=DATE:${basicDate(event.date)}`,
      `DTEND;VALUE=DATE:${basicDate(nextDay(event.date))}`,
      `SUMMARY:${escapeText(event.summary)}`,
      `DESCRIPTION:${escapeText(event.description)}`,
      'TRANSP:TRANSPARENT',
    );
    if (alarmDays > 0) {
      lines.push(
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        `TRIGGER:-P${alarmDays}D`,
        `DESCRIPTION:${escapeText(event.summary)}`,
        'END:VALARM',
      );
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
