import { describe, expect, it } from 'vitest';
import {
  buildProfile,
  coarsenSni,
  employeeBand,
  normalizeCounty,
} from '../../../domain/profile.ts';

describe('domain/profile', () => {
  it('coarsens 5-digit SNI codes to 3 digits', () => {
    expect(coarsenSni('62010')).toEqual({ ok: true, value: '620' });
    expect(coarsenSni('62.010')).toEqual({ ok: true, value: '620' });
    expect(coarsenSni('6201')).toMatchObject({ ok: false, error: { code: 'SNI_FORMAT' } });
    expect(coarsenSni('abcde')).toMatchObject({ ok: false, error: { code: 'SNI_FORMAT' } });
    expect(coarsenSni('04000')).toMatchObject({
      ok: false,
      error: { code: 'SNI_UNKNOWN_DIVISION' },
    });
  });

  it('maps employee counts to bands', () => {
    const band = (n: number) => {
      const r = employeeBand(n);
      return r.ok ? r.value : r.error.code;
    };
    expect([0, 1, 4, 5, 9, 10, 19, 20, 49, 50, 99, 100, 249, 250, 5000].map(band)).toEqual([
      '0',
      '1-4',
      '1-4',
      '5-9',
      '5-9',
      '10-19',
      '10-19',
      '20-49',
      '20-49',
      '50-99',
      '50-99',
      '100-249',
      '100-249',
      '250+',
      '250+',
    ]);
    expect(band(-1)).toBe('EMPLOYEES_INVALID');
    expect(band(2.5)).toBe('EMPLOYEES_INVALID');
    expect(band(Number.NaN)).toBe('EMPLOYEES_INVALID');
  });

  it('validates län codes', () => {
    expect(normalizeCounty('07')).toEqual({ ok: true, value: '07' });
    expect(normalizeCounty('7')).toEqual({ ok: true, value: '07' });
    expect(normalizeCounty('25')).toEqual({ ok: true, value: '25' });
    expect(normalizeCounty('02')).toMatchObject({ ok: false });
    expect(normalizeCounty('26')).toMatchObject({ ok: false });
    expect(normalizeCounty('Stockholm')).toMatchObject({ ok: false });
  });

  it('collects all errors instead of throwing', () => {
    const r = buildProfile({ sni: 'x', employees: -3, county: '99' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['sni', 'employees', 'county']);
    expect(buildProfile({})).toEqual({
      ok: true,
      profile: { sni: null, employeeBand: null, county: null },
    });
  });
});
