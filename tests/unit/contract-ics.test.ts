import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, noticeCalendar } from '../../domain/contract-ics';

const octets = (line: string) => new TextEncoder().encode(line).length;

/** RFC 5545 §3.1 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('.ics export (RFC 5545)', () => {
  const now = new Date(Date.UTC(2026, 10, 28, 10, 15, 0));
  const events = [
    {
      id: '0b7c0e5e-3c1f-4d2a-9a51-5d8c1f0e2a11',
      date: '2026-09-30',
      summary: 'Sista dag att säga upp: El – Kraftbolaget, Växjö',
      description: 'Avtalet förlängs annars till 2027-12.\nAnteckning: ring; be om offert\\pris',
    },
    {
      id: '9a3e2b1c-7d6f-4e5a-8b9c-0d1e2f3a4b5c',
      date: '2028-02-29',
      summary: 'Sista dag att säga upp: Lokalhyra',
      description: 'x'.repeat(200),
    },
  ];
  const ics = noticeCalendar(events, { now, name: 'Nyckel – avtal' });

  it('is one VCALENDAR with one VEVENT per agreement, CRLF only', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics.match(/^BEGIN:VEVENT$/gm)).toHaveLength(2);
    expect(ics.match(/^END:VEVENT\r$/gm)).toHaveLength(2);
  });

  it('dates are all-day values, the UID is stable per agreement', () => {
    const lines = unfold(ics).split('\r\n');
    expect(lines).toContain('DTSTART;VALUE=DATE:20260930');
    expect(lines).toContain('DTEND;VALUE=DATE:20261001');
    expect(lines).toContain('DTSTART;VALUE=DATE:20280229');
    expect(lines).toContain('DTEND;VALUE=DATE:20280301');
    expect(lines).toContain('UID:notice-0b7c0e5e-3c1f-4d2a-9a51-5d8c1f0e2a11@nyckel');
    expect(lines).toContain('DTSTAMP:20261128T101500Z');
    expect(lines).toContain('TRIGGER:-P14D');
    const again = noticeCalendar(events, { now: new Date(), name: 'Nyckel – avtal' });
    expect(unfold(again).match(/^UID:.*$/gm)).toEqual(unfold(ics).match(/^UID:.*$/gm));
  });

  it('escapes text and folds long lines at 75 octets', () => {
    const lines = unfold(ics).split('\r\n');
    expect(lines).toContain('SUMMARY:Sista dag att säga upp: El – Kraftbolaget\\, Växjö');
    expect(lines).toContain(
      'DESCRIPTION:Avtalet förlängs annars till 2027-12.\\nAnteckning: ring\\; be om offert\\\\pris',
    );
    for (const line of ics.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(ics).toContain('\r\n x');
  });

  it('escaping', () => {
    expect(escapeText('a,b;c\\d\r\ne\nf')).toBe('a\\,b\\;c\\\\d\\ne\\nf');
  });

  it('folding never splits a UTF-8 character and unfolds to the original', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const line = `DESCRIPTION:${text}`;
        const folded = foldLine(line);
        for (const part of folded.split('\r\n')) {
          expect(octets(part)).toBeLessThanOrEqual(75);
          // Each physical line is valid UTF-8 on its own (no lone surrogate halves).
          expect(part.isWellFormed()).toBe(true);
        }
        expect(unfold(folded)).toBe(line);
      }),
    );
  });
});
