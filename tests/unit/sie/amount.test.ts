import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AMOUNT_DECIMAL_COMMA,
  AMOUNT_ROUNDED,
  parseOreString,
  sieDateToIso,
} from '../../../workers/sie/amount.ts';

describe('amount parsing', () => {
  it('parses to exact integer öre', () => {
    expect(parseOreString('1234.56')).toEqual({ ore: 123456, flags: 0 });
    expect(parseOreString('-0.01')).toEqual({ ore: -1, flags: 0 });
    expect(parseOreString('-1234.5')).toEqual({ ore: -123450, flags: 0 });
    expect(parseOreString('42')).toEqual({ ore: 4200, flags: 0 });
    expect(parseOreString('+7.10')).toEqual({ ore: 710, flags: 0 });
    expect(parseOreString('.5')).toEqual({ ore: 50, flags: 0 });
    expect(parseOreString('0.1')?.ore).toBe(10);
    expect(parseOreString('9999999999999.99')?.ore).toBe(999999999999999);
  });

  it('tolerates a decimal comma and flags it', () => {
    expect(parseOreString('1234,56')).toEqual({ ore: 123456, flags: AMOUNT_DECIMAL_COMMA });
  });

  it('rounds extra decimals half away from zero and flags it; trailing zeros are fine', () => {
    expect(parseOreString('1.005')).toEqual({ ore: 101, flags: AMOUNT_ROUNDED });
    expect(parseOreString('-1.994')).toEqual({ ore: -199, flags: AMOUNT_ROUNDED });
    expect(parseOreString('0.995')).toEqual({ ore: 100, flags: AMOUNT_ROUNDED });
    expect(parseOreString('1900.000')).toEqual({ ore: 190000, flags: 0 });
  });

  it('rejects non-amounts', () => {
    for (const bad of [
      '',
      '-',
      '.',
      'abc',
      '1e5',
      '1.2.3',
      '12a',
      '--1',
      '1,2.3',
      '12345678901234',
    ]) {
      expect(parseOreString(bad), bad).toBeNull();
    }
  });

  it('agrees with decimal arithmetic on random amounts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.integer({ min: 0, max: 2 }),
        (ore, d) => {
          const abs = Math.abs(ore);
          const kr = Math.floor(abs / 100);
          const frac = String(abs % 100).padStart(2, '0');
          const text = `${ore < 0 ? '-' : ''}${kr}${d === 0 ? '' : `.${frac.slice(0, d)}`}`;
          const expected = d === 0 ? kr * 100 : d === 1 ? kr * 100 + Number(frac[0]) * 10 : abs;
          expect(parseOreString(text)?.ore).toBe(ore < 0 && expected !== 0 ? -expected : expected);
        },
      ),
    );
  });

  it('parses dates', () => {
    expect(sieDateToIso('20240229')).toBe('2024-02-29');
    expect(sieDateToIso('20230229')).toBeNull();
    expect(sieDateToIso('20241301')).toBeNull();
    expect(sieDateToIso('2024011')).toBeNull();
  });
});
