import { describe, expect, it } from 'vitest';
import { matchKeyOf } from '../../src/lib/client-map';

describe('matchKeyOf: a file is matched only by what it states, exactly', () => {
  it('uses the org number, digits only, 10-digit form', () => {
    expect(matchKeyOf({ orgNumber: '556265-1892', name: 'BL Demo AB' })).toBe('org:5562651892');
    expect(matchKeyOf({ orgNumber: '5562651892', name: null })).toBe('org:5562651892');
    // With century (12 digits) it is the same company.
    expect(matchKeyOf({ orgNumber: '16556265-1892', name: 'x' })).toBe('org:5562651892');
  });

  it('falls back to the exact company name (case and spacing folded) without an org number', () => {
    expect(matchKeyOf({ orgNumber: null, name: '  Övningsbolaget   AB ' })).toBe(
      'name:övningsbolaget ab',
    );
    expect(matchKeyOf({ orgNumber: '000000-0000', name: 'Lön AB' })).toBe('name:lön ab');
    expect(matchKeyOf({ orgNumber: '12-34', name: 'Kort AB' })).toBe('name:kort ab');
  });

  it('gives nothing to match when the file names no company', () => {
    expect(matchKeyOf({ orgNumber: null, name: null })).toBeNull();
    expect(matchKeyOf({ orgNumber: '', name: '   ' })).toBeNull();
  });

  it('different names never share a key (no fuzzy matching)', () => {
    expect(matchKeyOf({ orgNumber: null, name: 'Bygg AB' })).not.toBe(
      matchKeyOf({ orgNumber: null, name: 'Bygg & Co AB' }),
    );
  });
});
