import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { yearFigures, type YearFigures } from '../../domain/figures';
import { COUNTY_CODES, EMPLOYEE_BANDS, employeeBand } from '../../domain/profile';
import { balanceGroupsSchema, resultGroupsSchema } from '../../domain/sie-summary';
import { SNI_DIVISIONS, sniDivision } from '../../domain/sni';
import {
  DEFAULT_DEMO_FISCAL_YEARS,
  DEMO_YEARS_PER_ENTITY,
  generateDemoPopulation,
  type DemoEntity,
} from '../../server/finance/demo';

const ENTITIES = 30_000;

/** The default population, generated once for the whole file (a few seconds). */
let population: DemoEntity[];
let figures: YearFigures[][];

beforeAll(() => {
  population = [...generateDemoPopulation({ entities: ENTITIES })];
  figures = population.map((entity) => entity.years.map(yearFigures));
}, 60_000);

const digest = (entities: Iterable<DemoEntity>): string => {
  const hash = createHash('sha256');
  for (const entity of entities) hash.update(JSON.stringify(entity));
  return hash.digest('hex');
};

const median = (values: number[]): number => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const countBy = <K extends string>(keys: K[]): Map<K, number> => {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
};

describe('determinism', () => {
  it('the same seed gives the same bytes; another seed gives another population', () => {
    const options = { entities: 3000, seed: 7 };
    const first = digest(generateDemoPopulation(options));
    expect(digest(generateDemoPopulation(options))).toBe(first);
    expect(digest(generateDemoPopulation({ ...options, seed: 8 }))).not.toBe(first);
  });

  it('yields exactly the number of entities asked for', () => {
    expect(population).toHaveLength(ENTITIES);
    expect([...generateDemoPopulation({ entities: 101, seed: 1 })]).toHaveLength(101);
  });
});

/** Every (entity index, year index) where `broken` says something, for one assertion. */
const violations = (
  broken: (entity: DemoEntity, year: DemoEntity['years'][number], y: number) => string | null,
): string[] =>
  population.flatMap((entity, e) =>
    entity.years.flatMap((year, y) => {
      const problem = broken(entity, year, y);
      return problem === null ? [] : [`entity ${e} year ${y}: ${problem}`];
    }),
  );

describe('every year is a valid stored year', () => {
  it('has three consecutive years of the default timeline, half of them the newest', () => {
    const timeline = DEFAULT_DEMO_FISCAL_YEARS.map(({ start, end }) => `${start}/${end}`);
    const outside = population.filter((entity) => {
      const spans = entity.years.map(({ start, end }) => `${start}/${end}`);
      const first = timeline.indexOf(spans[0] ?? '');
      return (
        spans.length !== DEMO_YEARS_PER_ENTITY ||
        first < 0 ||
        spans.some((span, i) => timeline[first + i] !== span)
      );
    });
    expect(outside).toEqual([]);
    const newest = timeline.at(-1)!;
    const share =
      population.filter((e) => `${e.years.at(-1)!.start}/${e.years.at(-1)!.end}` === newest)
        .length / population.length;
    // NEWEST_WINDOW_SHARE (0.5) plus the newest window's share of the even spread (1/16).
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.56);
    // Every year of the timeline has demo companies of its own.
    const covered = new Set(population.flatMap((e) => e.years.map((y) => y.end.slice(0, 4))));
    expect(covered.size).toBe(timeline.length);
    expect(
      violations((_, year) =>
        balanceGroupsSchema.safeParse(year.balance).success &&
        resultGroupsSchema.safeParse(year.result).success
          ? null
          : 'not in the stored shape',
      ),
    ).toEqual([]);
  });

  it('amounts are safe integers (öre), never −0', () => {
    expect(
      violations((_, year) => {
        const amounts = [
          ...Object.values(year.balance).flatMap(({ ib, ub }) => [ib, ub]),
          ...Object.values(year.result),
        ];
        if (!amounts.every(Number.isSafeInteger)) return 'an amount is not a safe integer';
        return amounts.some((amount) => Object.is(amount, -0)) ? 'an amount is −0' : null;
      }),
    ).toEqual([]);
  });

  it('balances: Σ ub 10–29 + Σ result 30–89 = 0, exactly', () => {
    expect(
      violations((_, year) => {
        const closing = Object.values(year.balance).reduce((sum, { ub }) => sum + ub, 0);
        const result = Object.values(year.result).reduce((sum, amount) => sum + amount, 0);
        return closing + result === 0 ? null : `off by ${closing + result} öre`;
      }),
    ).toEqual([]);
  });

  it("each year's ib is the previous year's ub, group by group", () => {
    expect(
      violations((entity, year, y) => {
        const previous = entity.years[y - 1];
        if (previous === undefined) return null;
        const groups = new Set([...Object.keys(year.balance), ...Object.keys(previous.balance)]);
        const differing = [...groups].filter(
          (group) => (year.balance[group]?.ib ?? 0) !== (previous.balance[group]?.ub ?? 0),
        );
        return differing.length === 0 ? null : `ib ≠ previous ub in ${differing.join(', ')}`;
      }),
    ).toEqual([]);
  });

  it('SIE signs: assets and costs positive, liabilities and revenue negative', () => {
    const costGroups = new Set([50, 70, 72, 75, 78, 84]);
    expect(
      violations((_, year) => {
        const balance = Object.entries(year.balance).filter(([group, { ub }]) => {
          const g = Number(group);
          return (g <= 19 && ub < 0) || (g >= 21 && ub > 0);
        });
        const result = Object.entries(year.result).filter(([group, amount]) => {
          const g = Number(group);
          return (g <= 39 && amount >= 0) || (costGroups.has(g) && amount <= 0);
        });
        const wrong = [...balance, ...result].map(([group]) => group);
        return wrong.length === 0 ? null : `wrong sign in ${wrong.join(', ')}`;
      }),
    ).toEqual([]);
  });

  it('employees are a head count within the band, or null', () => {
    expect(
      violations((entity, year) => {
        if (year.employees === null) return null;
        const band = employeeBand(year.employees);
        return band.ok && band.value === entity.employeeBand
          ? null
          : `${year.employees} employees in band ${entity.employeeBand}`;
      }),
    ).toEqual([]);
    const years = population.flatMap((entity) => entity.years);
    const blank = years.filter((year) => year.employees === null).length / years.length;
    expect(blank).toBeGreaterThan(0.03);
    expect(blank).toBeLessThan(0.2);
  });
});

describe('the population covers Sweden', () => {
  it('every SNI 2007 division occurs, with real 3-digit groups', () => {
    const divisions = new Set(population.map((entity) => entity.sni3.slice(0, 2)));
    expect([...divisions].sort()).toEqual(SNI_DIVISIONS.map((division) => division.code));
    expect(
      population.filter(
        (entity) =>
          !/^[0-9]{3}$/.test(entity.sni3) || sniDivision(entity.sni3.slice(0, 2)) === undefined,
      ),
    ).toEqual([]);
  });

  it('every employee band occurs, skewed to small companies', () => {
    const bands = countBy(population.map((entity) => entity.employeeBand));
    expect([...bands.keys()].sort()).toEqual([...EMPLOYEE_BANDS].sort());
    const share = (band: (typeof EMPLOYEE_BANDS)[number]) => (bands.get(band) ?? 0) / ENTITIES;
    expect(share('0') + share('1-4')).toBeGreaterThan(0.6);
    expect(share('250+')).toBeLessThan(0.02);
    EMPLOYEE_BANDS.slice(1).forEach((band, i) => {
      // Each band is smaller than the one before it, except that 0 and 1–4 are close.
      if (i > 0) expect(share(band)).toBeLessThan(share(EMPLOYEE_BANDS[i]!));
    });
  });

  it('every county occurs; Stockholm, Västra Götaland and Skåne are the largest', () => {
    const counties = countBy(population.map((entity) => entity.county));
    expect([...counties.keys()].sort()).toEqual(Object.keys(COUNTY_CODES).sort());
    const ranked = [...counties].sort((a, b) => b[1] - a[1]).map(([code]) => code);
    expect(ranked.slice(0, 3)).toEqual(['01', '14', '12']);
  });

  it('construction, trade, IT, real estate and professional services are common', () => {
    const divisions = countBy(population.map((entity) => entity.sni3.slice(0, 2)));
    const share = (...codes: string[]) =>
      codes.reduce((sum, code) => sum + (divisions.get(code) ?? 0), 0) / ENTITIES;
    expect(share('41', '42', '43')).toBeGreaterThan(0.1);
    expect(share('45', '46', '47')).toBeGreaterThan(0.1);
    expect(share('62')).toBeGreaterThan(0.04);
    expect(share('68')).toBeGreaterThan(0.05);
    expect(share('69', '70', '71', '72', '73', '74')).toBeGreaterThan(0.1);
    expect(share('05', '06', '07', '08', '09')).toBeLessThan(0.01);
  });
});

describe('industry-plausible figures', () => {
  /** Per division, the share of a cost in net sales over every year with sales. */
  const shares = (division: string, cost: (f: YearFigures) => number) =>
    population.flatMap((entity, i) =>
      entity.sni3.startsWith(division)
        ? (figures[i] ?? []).filter((f) => f.netSales > 0).map((f) => cost(f) / f.netSales)
        : [],
    );

  it('IT (62) spends more of its sales on personnel than retail (47)', () => {
    const it62 = median(shares('62', (f) => f.personnelCosts));
    const retail47 = median(shares('47', (f) => f.personnelCosts));
    expect(it62).toBeGreaterThan(retail47 + 0.2);
  });

  it('retail (47) spends more of its sales on goods than IT (62)', () => {
    const retail47 = median(shares('47', (f) => f.goodsCosts));
    const it62 = median(shares('62', (f) => f.goodsCosts));
    expect(retail47).toBeGreaterThan(0.5);
    expect(it62).toBeLessThan(0.2);
  });

  it('inventory only where plausible: retail keeps stock, IT and consultancies do not', () => {
    const withInventory = (division: string) => {
      const members = population.flatMap((entity, i) =>
        entity.sni3.startsWith(division) ? (figures[i] ?? []) : [],
      );
      return members.filter((f) => f.inventory > 0).length / members.length;
    };
    expect(withInventory('47')).toBeGreaterThan(0.9);
    expect(withInventory('62')).toBe(0);
    expect(withInventory('69')).toBe(0);
  });

  it('has losses, negative equity and zero-sales startups, but as exceptions', () => {
    const years = figures.flat();
    const lossShare = years.filter((f) => f.yearResult < 0).length / years.length;
    expect(lossShare).toBeGreaterThan(0.1);
    expect(lossShare).toBeLessThan(0.4);

    const lastYears = figures.map((entityYears) => entityYears[entityYears.length - 1]!);
    const negativeEquity = lastYears.filter((f) => f.equity < 0).length / ENTITIES;
    expect(negativeEquity).toBeGreaterThan(0.01);
    expect(negativeEquity).toBeLessThan(0.15);

    // Startups: no sales in the first year, sales later, and no opening balance at all.
    const startups = population.filter((_, i) => {
      const [first, ...later] = figures[i] ?? [];
      return first?.netSales === 0 && later.some((f) => f.netSales > 0);
    });
    expect(startups.length / ENTITIES).toBeGreaterThan(0.005);
    expect(startups.length / ENTITIES).toBeLessThan(0.05);
    expect(
      startups.filter((startup) =>
        Object.values(startup.years[0]?.balance ?? {}).some(({ ib }) => ib !== 0),
      ),
    ).toEqual([]);
  });

  it('net sales are log-normal: a long right tail, the mean well above the median', () => {
    const sales = figures.flat().map((f) => f.netSales);
    const positive = sales.filter((s) => s > 0);
    const mean = positive.reduce((a, b) => a + b, 0) / positive.length;
    const logs = positive.map(Math.log);
    const logMean = logs.reduce((a, b) => a + b, 0) / logs.length;
    expect(mean).toBeGreaterThan(2 * median(positive));
    // The log-sales are roughly symmetric: their median is close to their mean.
    expect(Math.abs(median(logs) - logMean)).toBeLessThan(0.3);
  });

  it('equity ratios centre on what Swedish small companies report (30–60 %)', () => {
    const ratios = figures.flat().map((f) => f.equity / f.totalAssets);
    const middle = median(ratios);
    expect(middle).toBeGreaterThan(0.3);
    expect(middle).toBeLessThan(0.6);
  });
});

describe('options', () => {
  it('takes other fiscal years, e.g. broken years May–April', () => {
    const fiscalYears = [
      { start: '2022-05-01', end: '2023-04-30' },
      { start: '2023-05-01', end: '2024-04-30' },
    ];
    const [entity] = [...generateDemoPopulation({ entities: 100, seed: 3, fiscalYears })];
    expect(entity?.years.map(({ start, end }) => ({ start, end }))).toEqual(fiscalYears);
  });

  it('refuses nonsense: no entities, gaps between years, impossible dates', () => {
    const first = (options: Parameters<typeof generateDemoPopulation>[0]) => () =>
      generateDemoPopulation(options).next();
    expect(first({ entities: 0 })).toThrow();
    expect(first({ entities: 300_001 })).toThrow();
    expect(
      first({
        entities: 10,
        fiscalYears: [
          { start: '2023-01-01', end: '2023-12-31' },
          { start: '2024-02-01', end: '2024-12-31' },
        ],
      }),
    ).toThrow(/without gaps/);
    expect(
      first({ entities: 10, fiscalYears: [{ start: '2023-02-30', end: '2023-12-31' }] }),
    ).toThrow();
  });
});
