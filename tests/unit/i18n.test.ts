import { describe, expect, it } from 'vitest';
import { en } from '../../src/lib/i18n/en';
import { sv } from '../../src/lib/i18n/sv';
import { AREAS } from '../../src/lib/i18n/areas/index';

const keysOf = (value: unknown, prefix = ''): string[] =>
  value && typeof value === 'object'
    ? Object.entries(value).flatMap(([key, inner]) => keysOf(inner, `${prefix}${key}.`))
    : [prefix.slice(0, -1)];

describe('translations', () => {
  it('Swedish and English have exactly the same keys', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(sv).sort());
  });

  it('no string is empty or left untranslated by accident', () => {
    const svKeys = keysOf(sv);
    const lookup = (dict: object, key: string) =>
      key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], dict);
    for (const key of svKeys) {
      expect(String(lookup(sv, key)).trim(), key).not.toBe('');
      expect(String(lookup(en, key)).trim(), key).not.toBe('');
    }
  });
});

describe('translation areas', () => {
  for (const [area, messages] of Object.entries(AREAS)) {
    it(`${area}: Swedish and English have the same keys`, () => {
      expect(keysOf(messages.en).sort()).toEqual(keysOf(messages.sv).sort());
    });
    it(`${area}: does not collide with the base dictionary`, () => {
      expect(Object.keys(sv)).not.toContain(area);
    });
  }
});
