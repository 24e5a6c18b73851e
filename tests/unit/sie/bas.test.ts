import { describe, expect, it } from 'vitest';
import {
  accountGroup,
  groupKey,
  isBalanceGroup,
  isResultGroup,
  isYearResultAccount,
} from '../../../domain/bas.ts';

describe('domain/bas', () => {
  it('groups numeric accounts with at least four digits by their first two digits', () => {
    expect(accountGroup('1930')).toEqual({ ok: true, group: '19' });
    expect(accountGroup('30101')).toEqual({ ok: true, group: '30' });
    expect(accountGroup(' 8999 ')).toEqual({ ok: true, group: '89' });
  });

  it('gives a skip reason for class 9, class 0, short and non-numeric accounts', () => {
    expect(accountGroup('9999')).toEqual({ ok: false, reason: 'class-9' });
    expect(accountGroup('0351')).toEqual({ ok: false, reason: 'class-0' });
    expect(accountGroup('193')).toEqual({ ok: false, reason: 'too-short' });
    expect(accountGroup('19A0')).toEqual({ ok: false, reason: 'non-numeric' });
    expect(accountGroup('')).toEqual({ ok: false, reason: 'non-numeric' });
  });

  it('classifies groups', () => {
    expect(isBalanceGroup('10')).toBe(true);
    expect(isBalanceGroup('29')).toBe(true);
    expect(isBalanceGroup('30')).toBe(false);
    expect(isResultGroup('30')).toBe(true);
    expect(isResultGroup('89')).toBe(true);
    expect(isResultGroup('90')).toBe(false);
    expect(isResultGroup(45)).toBe(true);
    expect(isBalanceGroup('1')).toBe(false);
    expect(isResultGroup('3a')).toBe(false);
  });

  it('marks 8990–8999 as year-result accounts', () => {
    expect(isYearResultAccount('8999')).toBe(true);
    expect(isYearResultAccount('8990')).toBe(true);
    expect(isYearResultAccount('89991')).toBe(true);
    expect(isYearResultAccount('8989')).toBe(false);
    expect(isYearResultAccount('8910')).toBe(false);
    expect(isYearResultAccount('899')).toBe(false);
  });

  it('formats group keys with two digits', () => {
    expect(groupKey(7)).toBe('07');
    expect(groupKey(30)).toBe('30');
  });
});
