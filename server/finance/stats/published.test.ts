import { describe, expect, it } from 'vitest';
import { METRICS } from '../../../domain/ratios';
import { createPublishedStore, SLOTS_PER_BLOCK, type PublishedGroups } from './published';
import type { ReleasedGroup } from './release';
import { encodeStats, type StatTuple } from './stored-stats';

/**
 * The published statistics the benchmark query reads (published.ts): what the engine hands
 * over once the database has committed it, slots reused after withdrawals, blocks of slots,
 * and bytes no release makes refused before anything changes. That the store always equals
 * `peer_group` after rebuilds and refreshes is checked in tests/unit/stats-refresh.test.ts.
 */
const NET_MARGIN = METRICS.findIndex((m) => m.id === 'net_margin');

const key = (name: string) => `all=*|band=${name}|county=*|year=2025`;

const released = (
  name: string,
  netMargin: StatTuple,
  includesSynthetic = false,
): ReleasedGroup => ({
  key: key(name),
  group: { level: 'all', sni: null, employeeBand: null, county: null, year: 2025 },
  n: netMargin[0],
  meanNetSales: null,
  includesSynthetic,
  stats: encodeStats({ net_margin: netMargin }),
});

/** n and the quantiles of net margin in the group named `name` (null: not published). */
const netMargin = (published: PublishedGroups, name: string) => {
  const slot = published.find(key(name));
  if (slot < 0) return null;
  return [0, 1, 2, 3, 4, 5].map((field) => published.stat(slot, NET_MARGIN, field));
};

describe('published statistics in memory', () => {
  it('holds a release only once it is committed, and a rebuild replaces everything', () => {
    const published = createPublishedStore();
    const publish = published.stage('all', [
      released('a', [12, null, 0.1, 0.2, 0.3, null]),
      released('b', [30, 0.05, 0.1, 0.2, 0.3, 0.4], true),
    ]);
    expect(published.size()).toBe(0);
    expect(published.find(key('a'))).toBe(-1);
    publish();
    expect(published.size()).toBe(2);
    expect(netMargin(published, 'a')).toStrictEqual([12, NaN, 0.1, 0.2, 0.3, NaN]);
    expect(netMargin(published, 'b')).toStrictEqual([30, 0.05, 0.1, 0.2, 0.3, 0.4]);
    expect(published.includesSynthetic(published.find(key('a')))).toBe(false);
    expect(published.includesSynthetic(published.find(key('b')))).toBe(true);
    // Another figure of the group: not published (all NaN).
    const other = METRICS.findIndex((m) => m.id === 'gross_margin');
    expect(published.stat(published.find(key('a')), other, 0)).toBeNaN();

    published.stage('all', [released('c', [10, null, 1, 2, 3, null])])();
    expect(published.size()).toBe(1);
    expect(netMargin(published, 'a')).toBeNull();
    expect(netMargin(published, 'b')).toBeNull();
    expect(netMargin(published, 'c')).toStrictEqual([10, NaN, 1, 2, 3, NaN]);
  });

  it('withdraws and republishes groups, reusing withdrawn slots first', () => {
    const published = createPublishedStore();
    published.stage(
      'all',
      ['a', 'b', 'c'].map((name) => released(name, [10, null, 1, 2, 3, null])),
    )();
    const slotOfB = published.find(key('b'));
    published.stage([key('b')], [released('a', [11, null, 1, 2.5, 3, null])])();
    expect(netMargin(published, 'b')).toBeNull();
    expect(netMargin(published, 'a')).toStrictEqual([11, NaN, 1, 2.5, 3, NaN]);
    expect(published.size()).toBe(2);
    published.stage([], [released('d', [12, null, 4, 5, 6, null])])();
    expect(published.find(key('d'))).toBe(slotOfB);
    expect(netMargin(published, 'd')).toStrictEqual([12, NaN, 4, 5, 6, NaN]);
    expect(netMargin(published, 'c')).toStrictEqual([10, NaN, 1, 2, 3, NaN]);
    // Withdrawing a group that is not published changes nothing.
    published.stage([key('x')], [])();
    expect(published.size()).toBe(3);
  });

  it('holds groups across blocks of slots', () => {
    const published = createPublishedStore();
    const names = Array.from({ length: 2 * SLOTS_PER_BLOCK + 7 }, (_, i) => `m${i}`);
    published.stage(
      'all',
      names.map((name, i) => released(name, [10 + i, null, i, i + 0.5, i + 1, null], i % 2 === 1)),
    )();
    expect(published.size()).toBe(names.length);
    for (const i of [
      0,
      SLOTS_PER_BLOCK - 1,
      SLOTS_PER_BLOCK,
      2 * SLOTS_PER_BLOCK,
      names.length - 1,
    ]) {
      expect(netMargin(published, names[i]!)).toStrictEqual([10 + i, NaN, i, i + 0.5, i + 1, NaN]);
      expect(published.includesSynthetic(published.find(key(names[i]!)))).toBe(i % 2 === 1);
    }
    // A smaller rebuild afterwards: only its groups, read back right.
    published.stage('all', [released('small', [10, null, 1, 2, 3, null])])();
    expect(published.size()).toBe(1);
    expect(netMargin(published, 'small')).toStrictEqual([10, NaN, 1, 2, 3, NaN]);
    expect(netMargin(published, names[SLOTS_PER_BLOCK]!)).toBeNull();
  });

  it('refuses bytes no release makes before anything changes', () => {
    const published = createPublishedStore();
    published.stage('all', [released('ok', [12, null, 1, 2, 3, null])])();
    const withoutN = encodeStats({ net_margin: [12, null, 1, 2, 3, null] });
    withoutN.writeDoubleLE(Number.NaN, NET_MARGIN * 48);
    const bad: Buffer[] = [
      // One figure fewer than the catalogue has, as an older release would have stored.
      encodeStats({}).subarray(48),
      encodeStats({ net_margin: [12, null, 1, Number.POSITIVE_INFINITY, 3, null] }),
      encodeStats({ net_margin: [12.5, null, 1, 2, 3, null] }),
      withoutN,
    ];
    for (const stats of bad) {
      const group = { ...released('bad', [12, null, 1, 2, 3, null]), stats };
      expect(() => published.stage([key('ok')], [group])).toThrow('bad peer_group stats');
      expect(() =>
        published.stage('all', [released('fine', [10, null, 1, 2, 3, null]), group]),
      ).toThrow('bad peer_group stats');
    }
    expect(published.size()).toBe(1);
    expect(netMargin(published, 'ok')).toStrictEqual([12, NaN, 1, 2, 3, NaN]);
  });
});
