import { describe, expect, it } from 'vitest';
import { coarsenSni } from '../../domain/profile.ts';
import {
  sectionOfSni,
  SNI_DIVISIONS,
  SNI_LEVELS,
  SNI_SECTIONS,
  sniDivision,
  sniLevelCode,
  sniSection,
} from '../../domain/sni.ts';

/**
 * The published structure of SNI 2007 / NACE Rev. 2: how many divisions each section has
 * (an independent check of the data, from SCB MIS 2007:2).
 */
const DIVISIONS_PER_SECTION: Record<string, number> = {
  A: 3,
  B: 5,
  C: 24,
  D: 1,
  E: 4,
  F: 3,
  G: 3,
  H: 5,
  I: 2,
  J: 6,
  K: 3,
  L: 1,
  M: 7,
  N: 6,
  O: 1,
  P: 1,
  Q: 3,
  R: 4,
  S: 3,
  T: 2,
  U: 1,
};

describe('SNI 2007 data', () => {
  it('has the 21 sections A–U in order', () => {
    expect(SNI_SECTIONS.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
  });

  it('has 88 divisions with unique, ascending 2-digit codes', () => {
    const codes = SNI_DIVISIONS.map((d) => d.code);
    expect(codes).toHaveLength(88);
    expect(new Set(codes).size).toBe(88);
    for (const code of codes) expect(code).toMatch(/^[0-9]{2}$/);
    expect([...codes].sort()).toEqual(codes);
  });

  it('links sections and divisions both ways', () => {
    for (const section of SNI_SECTIONS) {
      expect(section.divisions.length, section.code).toBe(DIVISIONS_PER_SECTION[section.code]);
      for (const code of section.divisions) {
        expect(sniDivision(code)?.section, code).toBe(section.code);
      }
    }
    for (const division of SNI_DIVISIONS) {
      expect(sniSection(division.section)?.divisions, division.code).toContain(division.code);
    }
    const listed = SNI_SECTIONS.flatMap((s) => s.divisions);
    expect(listed).toEqual(SNI_DIVISIONS.map((d) => d.code));
  });

  it('keeps each section’s divisions a contiguous code range', () => {
    // SNI numbers divisions in section order, so sections never interleave.
    const order = SNI_DIVISIONS.map((d) => d.section).join('');
    expect(order).toMatch(/^A+B+C+D+E+F+G+H+I+J+K+L+M+N+O+P+Q+R+S+T+U+$/);
  });

  it('names every section and division in Swedish and English', () => {
    for (const item of [...SNI_SECTIONS, ...SNI_DIVISIONS]) {
      expect(item.name.sv.trim().length, item.code).toBeGreaterThan(0);
      expect(item.name.en.trim().length, item.code).toBeGreaterThan(0);
    }
    expect(new Set(SNI_DIVISIONS.map((d) => d.name.en)).size).toBe(88);
    expect(sniDivision('62')?.name).toEqual({
      sv: 'Dataprogrammering, datakonsultverksamhet o.d.',
      en: 'Computer programming, consultancy and related activities',
    });
    expect(sniSection('J')?.name.sv).toBe('Informations- och kommunikationsverksamhet');
  });
});

describe('SNI look-ups', () => {
  it('finds divisions by exact 2-digit code only', () => {
    expect(sniDivision('01')?.section).toBe('A');
    expect(sniDivision('99')?.section).toBe('U');
    for (const gap of ['00', '04', '34', '40', '44', '48', '54', '57', '67', '76', '83', '89']) {
      expect(sniDivision(gap), gap).toBeUndefined();
    }
    expect(sniDivision('1')).toBeUndefined();
    expect(sniDivision('620')).toBeUndefined();
  });

  it('finds the section of a 2–5 digit code', () => {
    expect(sectionOfSni('62')?.code).toBe('J');
    expect(sectionOfSni('620')?.code).toBe('J');
    expect(sectionOfSni('6201')?.code).toBe('J');
    expect(sectionOfSni('62010')?.code).toBe('J');
    expect(sectionOfSni('62.010')?.code).toBe('J');
    expect(sectionOfSni('47111')?.code).toBe('G');
    expect(sectionOfSni('6')).toBeUndefined();
    expect(sectionOfSni('620100')).toBeUndefined();
    expect(sectionOfSni('04000')).toBeUndefined();
    expect(sectionOfSni('ab')).toBeUndefined();
  });

  it('gives the peer-group code of a stored 3-digit SNI at each level', () => {
    expect(SNI_LEVELS).toEqual(['sni3', 'sni2', 'section', 'all']);
    expect(sniLevelCode('620', 'sni3')).toBe('620');
    expect(sniLevelCode('620', 'sni2')).toBe('62');
    expect(sniLevelCode('620', 'section')).toBe('J');
    expect(sniLevelCode('620', 'all')).toBeNull();
    expect(sniLevelCode('011', 'section')).toBe('A');
    for (const level of SNI_LEVELS) {
      expect(sniLevelCode('040', level), level).toBeNull();
      expect(sniLevelCode('62010', level), level).toBeNull();
    }
  });

  it('makes the profile accept exactly the SNI 2007 divisions', () => {
    for (let n = 0; n < 100; n += 1) {
      const code2 = String(n).padStart(2, '0');
      const known = sniDivision(code2) !== undefined;
      expect(coarsenSni(`${code2}100`).ok, code2).toBe(known);
    }
  });
});
