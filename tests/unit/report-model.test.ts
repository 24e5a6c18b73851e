import { describe, expect, it } from 'vitest';
import { metricById, type MetricId } from '../../domain/ratios';
import { bandPositions } from '../../src/lib/report/chart-scale';
import { reportFileName } from '../../src/lib/report/file-name';
import {
  ABSENT,
  REPORT_SECTIONS,
  reportModel,
  type ReportModel,
  type ReportRow,
} from '../../src/lib/report/model';
import { fillTemplate } from '../../src/lib/report/template';
import { plainSpaces } from '../helpers/pdf-text';
import { benchmarkAnswer } from './report-fixture';

const company = { orgName: 'Jämförbolaget AB', clientLabel: null };
const madeOn = '2025-03-14';

const svReport = () => reportModel(benchmarkAnswer(), { lang: 'sv', subject: company, madeOn });
const enReport = () => reportModel(benchmarkAnswer(), { lang: 'en', subject: company, madeOn });

function rowOf(model: ReportModel, id: MetricId): ReportRow {
  const row = model.sections.flatMap((s) => s.rows).find((r) => r.id === id);
  if (row === undefined) throw new Error(`no row for ${id}`);
  return row;
}

/** A row's cells as a reader sees them (no-break spaces as plain spaces). */
const cells = (row: ReportRow) =>
  [row.value, row.p25, row.median, row.p75, row.index, row.n].map(plainSpaces);

describe('report model: numbers per language', () => {
  it('formats ratios, amounts, days and times the Swedish way', () => {
    const model = svReport();
    expect(cells(rowOf(model, 'operating_margin'))).toEqual([
      '12,5 %',
      '3,1 %',
      '7,1 %',
      '11,8 %',
      '76',
      '143',
    ]);
    expect(cells(rowOf(model, 'revenue_per_employee')).slice(0, 4)).toEqual([
      '1 234 567 kr',
      '890 000 kr',
      '1 230 000 kr',
      '1 560 000 kr',
    ]);
    expect(cells(rowOf(model, 'revenue_per_employee'))[5]).toBe('512');
    expect(plainSpaces(rowOf(model, 'net_margin').value)).toBe('−3,4 %');
    expect(plainSpaces(rowOf(model, 'receivable_days').value)).toBe('42 dagar');
    expect(plainSpaces(rowOf(model, 'debt_equity').value)).toBe('1,5 ggr');
  });

  it('formats the same figures the English way', () => {
    const model = enReport();
    expect(cells(rowOf(model, 'operating_margin'))).toEqual([
      '12.5%',
      '3.1%',
      '7.1%',
      '11.8%',
      '76',
      '143',
    ]);
    expect(rowOf(model, 'revenue_per_employee').value).toBe('1,234,567 kr');
    expect(rowOf(model, 'net_margin').value).toBe('-3.4%');
    expect(rowOf(model, 'receivable_days').value).toBe('42 days');
    expect(rowOf(model, 'debt_equity').value).toBe('1.5×');
  });

  it('names figures, sections and columns in the chosen language', () => {
    const sv = svReport();
    const en = enReport();
    expect(rowOf(sv, 'equity_ratio').name).toBe('Soliditet');
    expect(rowOf(en, 'equity_ratio').name).toBe('Equity ratio');
    expect(sv.sections.map((s) => s.title)).toContain('Lönsamhet');
    expect(en.sections.map((s) => s.title)).toContain('Profitability');
    expect(sv.columns.value).toBe('Ert värde');
    expect(en.columns.value).toBe('Your value');
    expect(sv.title).toBe('Nyckeltalsrapport');
    expect(en.title).toBe('Key figures report');
  });
});

describe('report model: absent and withheld', () => {
  it('shows a figure the company cannot compute as "–", with the peers still given', () => {
    const growth = rowOf(svReport(), 'growth');
    expect(growth.value).toBe(ABSENT);
    expect(growth.index).toBe(ABSENT);
    expect(plainSpaces(growth.median)).toBe('4,8 %');
    expect(growth.withheld).toBe(false);
  });

  it('shows every peer number of a withheld group as "–" and explains why', () => {
    for (const [model, words] of [
      [svReport(), 'Kassalikviditet: ingen jämförelsegrupp har minst 10 företag'],
      [enReport(), 'Quick ratio: no peer group has at least 10 companies'],
    ] as const) {
      const quick = rowOf(model, 'quick_ratio');
      expect(quick.withheld).toBe(true);
      expect(plainSpaces(quick.value)).toBe(model.lang === 'sv' ? '123 %' : '123%');
      expect([quick.p25, quick.median, quick.p75, quick.index, quick.n]).toEqual(
        Array(5).fill(ABSENT),
      );
      const liquidity = model.sections.find((s) => s.id === 'liquidity')!;
      expect(liquidity.notes.some((note) => note.startsWith(words))).toBe(true);
      // A withheld figure has no band to draw.
      expect(liquidity.chart.map((c) => c.id)).not.toContain('quick_ratio');
    }
  });

  it('takes the size limit it explains from the answer', () => {
    const model = reportModel(benchmarkAnswer({ minGroupSize: 12 }), {
      lang: 'sv',
      subject: company,
      madeOn,
    });
    const notes = model.sections.flatMap((s) => s.notes);
    expect(notes.some((n) => n.includes('minst 12 företag'))).toBe(true);
    expect(model.appendix.rules[0]).toContain('n ≥ 12');
  });

  it('names the wider group a figure was compared with', () => {
    const efficiency = svReport().sections.find((s) => s.id === 'efficiency')!;
    const note = efficiency.notes.find((n) => n.startsWith('Omsättning per anställd:'));
    expect(note).toContain('Kronobergs län');
    expect(note).toContain('512 företag');
    expect(note).not.toContain('SNI 620');
  });
});

describe('report model: content', () => {
  it('has a title page with the company, the fiscal year, the date and the peer group', () => {
    const sv = svReport();
    expect(sv.subject).toBe('Jämförbolaget AB');
    const facts = Object.fromEntries(sv.facts.map((f) => [f.label, plainSpaces(f.text)]));
    expect(facts['Räkenskapsår']).toMatch(/^2024 \(1 jan\.? 2024 – 31 dec\.? 2024\)$/);
    expect(facts['Skapad']).toMatch(/^14 mars 2025$/);
    expect(facts['Jämförelsegrupp']).toContain('(SNI 620), 10–19 anställda, Kronobergs län, 2024');
    expect(facts['Jämförelsegrupp']).toMatch(/143 företag$/);
    expect(facts['Jämförda nyckeltal']).toBe('11 av 13');
    const en = enReport();
    const enFacts = Object.fromEntries(en.facts.map((f) => [f.label, f.text]));
    expect(enFacts['Peer group']).toContain(
      '10–19 employees, Kronoberg County, 2024, 143 companies',
    );
    expect(enFacts['Created']).toBe('14 Mar 2025');
  });

  it('labels demo statistics, and only them', () => {
    expect(svReport().demoNote).toMatch(/^Demodata/);
    expect(enReport().demoNote).toMatch(/^Demo data/);
    const real = reportModel(benchmarkAnswer({ demo: false }), {
      lang: 'sv',
      subject: company,
      madeOn,
    });
    expect(real.demoNote).toBeNull();
  });

  it('names the three weakest figures, lowest index first, with value and median', () => {
    const sv = svReport();
    expect(sv.weakest.entries.map((e) => e.id)).toEqual([
      'net_margin',
      'personnel_cost_share',
      'cost_share_50',
    ]);
    expect(plainSpaces(sv.weakest.entries[1]!.text)).toBe(
      'Index 12 · ert värde 55 % · median 40 %',
    );
    expect(sv.weakest.empty).toBeNull();
    expect(sv.overall).toMatchObject({ index: 47, text: '47', heading: 'Totalindex 2024' });
  });

  it('has a section per category in order, cost items ranked and only where informative', () => {
    const sv = svReport();
    expect(sv.sections.map((s) => s.id)).toEqual(REPORT_SECTIONS);
    const costs = sv.sections.find((s) => s.id === 'costs')!;
    // 51: neither the company nor most peers have it; 52: no released group.
    expect(costs.rows.map((r) => r.id)).toEqual(['cost_share_50', 'cost_share_69']);
    expect(costs.title).toBe('Kostnadsposter (andel av nettoomsättningen)');
    const perEmployee = sv.sections.find((s) => s.id === 'costsPerEmployee')!;
    expect(perEmployee.rows.map((r) => r.id)).toEqual(['cost_per_employee_50']);
    // Figures the company neither has nor can be compared on are left out.
    const solidity = sv.sections.find((s) => s.id === 'solidity')!;
    expect(solidity.rows.map((r) => r.id)).toEqual(['equity_ratio', 'debt_equity']);
  });

  it('places band, median and marker on each figure’s own axis', () => {
    const profitability = svReport().sections.find((s) => s.id === 'profitability')!;
    const margin = profitability.chart.find((c) => c.id === 'operating_margin')!;
    const p = margin.positions;
    expect(p.p10).toBeUndefined();
    expect(p.p25!).toBeGreaterThan(0);
    expect(p.p25!).toBeLessThan(p.p50!);
    expect(p.p50!).toBeLessThan(p.p75!);
    expect(p.p75!).toBeLessThan(p.value!);
    expect(p.value!).toBeLessThan(1);
    // The margins are equal: the extremes sit symmetrically inside the axis.
    expect(p.p25!).toBeCloseTo(1 - p.value!, 12);
    // Growth is charted without a marker: the company has no value.
    const growth = svReport().sections[0]!.chart[0]!;
    expect(growth.id).toBe('growth');
    expect(growth.positions.value).toBeUndefined();
    expect(bandPositions({ value: 5, p25: 5, p50: 5, p75: 5 })).toMatchObject({
      p25: 0.5,
      value: 0.5,
      beyond: null,
    });
  });

  it('keeps the band readable when the value lies far outside: the marker stops at the edge', () => {
    // Receivable days of a company that invoiced almost nothing: 23 820 against 37–54.
    const far = bandPositions({ value: 23_820, p25: 37, p50: 43, p75: 54 })!;
    expect(far.beyond).toBe('above');
    expect(far.p75! - far.p25!).toBeGreaterThan(0.3);
    expect(far.value!).toBeGreaterThan(far.p75!);
    expect(far.value!).toBeLessThan(1);
    const below = bandPositions({ value: -5, p25: 0.1, p50: 0.2, p75: 0.3 })!;
    expect(below.beyond).toBe('below');
    expect(below.value!).toBeGreaterThan(0);
    expect(below.value!).toBeLessThan(below.p25!);
    // Just outside the band is still drawn where it is.
    expect(bandPositions({ value: 60, p25: 37, p50: 43, p75: 54 })!.beyond).toBeNull();
  });

  it('draws the trend of the overall index oldest first, "–" for a year without one', () => {
    expect(svReport().trend.points).toEqual([
      { year: 2022, index: 55, text: '55' },
      { year: 2023, index: null, text: ABSENT },
      { year: 2024, index: 47, text: '47' },
    ]);
  });

  it('explains each figure in the report, and the disclosure rules', () => {
    const sv = svReport();
    const shown = new Set(sv.sections.flatMap((s) => s.rows.map((r) => r.id)));
    expect(sv.appendix.figures.map((f) => f.id).sort()).toEqual([...shown].sort());
    const margin = sv.appendix.figures.find((f) => f.id === 'operating_margin')!;
    expect(margin.formula).toBe(metricById('operating_margin')!.formula.sv);
    expect(margin.explanation).toBe(metricById('operating_margin')!.explanation.sv);
    expect(sv.appendix.rules.join(' ')).toMatch(/n ≥ 10.*20 företag.*3 värdesiffror/);
    expect(enReport().appendix.rules.join(' ')).toMatch(
      /n ≥ 10.*20 companies.*3 significant digits/,
    );
  });

  it('names a bureau client by bureau and customer number', () => {
    const model = reportModel(benchmarkAnswer(), {
      lang: 'sv',
      subject: { orgName: 'Byrån AB', clientLabel: 'K-1001' },
      madeOn,
    });
    expect(model.subject).toBe('Byrån AB – klient K-1001');
    expect(model.fileName).toBe('Nyckel-K-1001-2024.pdf');
    expect(model.footer).toBe('Nyckel · Byrån AB – klient K-1001 · 2024');
  });

  it('is a pure function of its input', () => {
    const answer = benchmarkAnswer();
    const before = structuredClone(answer);
    const first = reportModel(answer, { lang: 'sv', subject: company, madeOn });
    expect(answer).toEqual(before);
    expect(reportModel(answer, { lang: 'sv', subject: company, madeOn })).toEqual(first);
  });
});

describe('report file name', () => {
  it('keeps letters, digits and hyphens, without accents', () => {
    expect(svReport().fileName).toBe('Nyckel-Jamforbolaget-AB-2024.pdf');
    expect(reportFileName('Örebro Städ & Fönster AB', 2023)).toBe(
      'Nyckel-Orebro-Stad-Fonster-AB-2023.pdf',
    );
    expect(reportFileName('../../etc/passwd', 2023)).toBe('Nyckel-etc-passwd-2023.pdf');
    expect(reportFileName('...', 2023)).toBe('Nyckel-rapport-2023.pdf');
    expect(reportFileName('x'.repeat(200), 2023)).toHaveLength('Nyckel--2023.pdf'.length + 60);
  });
});

describe('fillTemplate', () => {
  it('fills named placeholders and leaves unknown ones visible', () => {
    expect(fillTemplate('{a} och {b} – {c}', { a: 1, b: 'två' })).toBe('1 och två – {c}');
  });
});
