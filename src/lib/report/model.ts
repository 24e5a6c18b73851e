/**
 * What goes into the PDF report (issue #8): a pure function of the benchmark answer, the
 * report's language, who it is about and the day it is made. Every text is final here —
 * translated, with numbers formatted for the language ("12,5 %", "1 234 kr") and absent
 * numbers as "–" — so the renderer only lays it out, and the tests can read the report
 * without opening a PDF.
 */
import type { BenchmarkItem, BenchmarkResult } from '../../../domain/benchmark';
import { DECILE_MIN_GROUP_SIZE, SIGNIFICANT_DIGITS } from '../../../domain/disclosure';
import { describePeerGroup, type Language } from '../../../domain/peer-group';
import {
  METRICS,
  metricById,
  type MetricCategory,
  type MetricDefinition,
  type MetricId,
} from '../../../domain/ratios';
import {
  isInformativeCostItem,
  mainPeerGroup,
  sameGroup,
  weakestItems,
} from '../benchmark-summary';
import { formatDate, formatMetric } from '../format';
import { benchmark as benchmarkText } from '../i18n/areas/benchmark';
import { report as reportText } from '../i18n/areas/report';
import { bandPositions, type BandPositions } from './chart-scale';
import { reportFileName } from './file-name';
import { fillTemplate } from './template';

// The headline group, the weakest figures and which cost items count: one home, shared with
// the dashboard and the bureau console.
export {
  WEAKEST_COUNT,
  isInformativeCostItem,
  mainPeerGroup,
  sameGroup,
  weakestItems,
} from '../benchmark-summary';

/** Shown wherever a number is absent: not computable, or not released for the group. */
export const ABSENT = '–';

const KEY_SECTIONS = [
  'growth',
  'profitability',
  'liquidity',
  'solidity',
  'efficiency',
] as const satisfies readonly MetricCategory[];

/** The report's figure sections, in order: the key-ratio categories, then the cost items. */
export const REPORT_SECTIONS = [...KEY_SECTIONS, 'costs', 'costsPerEmployee'] as const;
export type ReportSectionId = (typeof REPORT_SECTIONS)[number];

/** Who the report is about: a company's own books, or a bureau's client. */
export interface ReportSubject {
  /** The company's name, or the bureau's for a client. */
  orgName: string;
  /** The bureau's customer number for a client; null for a company's own books. */
  clientLabel: string | null;
}

export interface ReportOptions {
  lang: Language;
  subject: ReportSubject;
  /** The day the report is made, `YYYY-MM-DD`. */
  madeOn: string;
}

export interface ReportFact {
  label: string;
  text: string;
}

/** One figure in a section's table; every cell is final text. */
export interface ReportRow {
  id: MetricId;
  name: string;
  value: string;
  p25: string;
  median: string;
  p75: string;
  index: string;
  n: string;
  /** The 0–100 index for its colour; null when absent. */
  indexValue: number | null;
  /** No peer group passes disclosure control for this figure. */
  withheld: boolean;
}

/** One figure in a section's chart: the band, median and marker on the figure's own axis. */
export interface ReportChartRow {
  id: MetricId;
  name: string;
  positions: BandPositions;
  indexValue: number | null;
}

export interface ReportSection {
  id: ReportSectionId;
  title: string;
  rows: ReportRow[];
  /** The rows that have a released peer group, drawn as quartile bands. */
  chart: ReportChartRow[];
  /** Figures compared with another group than the headline's, and withheld figures. */
  notes: string[];
}

export interface ReportTrendPoint {
  year: number;
  index: number | null;
  text: string;
}

export interface ReportFigureExplanation {
  id: MetricId;
  name: string;
  formula: string;
  explanation: string;
}

export interface ReportModel {
  lang: Language;
  fileName: string;
  year: number;
  title: string;
  subject: string;
  facts: ReportFact[];
  /** Present when the statistics include the synthetic demo population. */
  demoNote: string | null;
  privacyNote: string;
  overall: { heading: string; index: number | null; text: string; of: string; hint: string };
  weakest: {
    heading: string;
    intro: string;
    entries: Array<{ id: MetricId; name: string; index: number; text: string }>;
    /** Said instead of the entries when no figure has an index. */
    empty: string | null;
  };
  columns: {
    metric: string;
    value: string;
    p25: string;
    median: string;
    p75: string;
    index: string;
    n: string;
  };
  chartLegend: string;
  absentNote: string;
  sections: ReportSection[];
  trend: { heading: string; hint: string; points: ReportTrendPoint[]; empty: string | null };
  appendix: {
    heading: string;
    formulaLabel: string;
    figures: ReportFigureExplanation[];
    rulesHeading: string;
    rules: string[];
  };
  /** The running footer's text, and the page counter with `{page}` and `{pages}`. */
  footer: string;
  pageTemplate: string;
}

interface Line {
  item: BenchmarkItem;
  metric: MetricDefinition;
}

const localeTag = (lang: Language) => (lang === 'en' ? 'en-GB' : 'sv-SE');

const byIndexAscending = (a: Line, b: Line) => (a.item.index ?? 101) - (b.item.index ?? 101);

function sectionLines(lines: readonly Line[], id: ReportSectionId): Line[] {
  if (id === 'costs' || id === 'costsPerEmployee') {
    const prefix = id === 'costs' ? 'cost_share_' : 'cost_per_employee_';
    return lines
      .filter((l) => l.item.id.startsWith(prefix) && isInformativeCostItem(l.item))
      .sort(byIndexAscending);
  }
  return lines.filter(
    (l) =>
      l.metric.category === id &&
      l.metric.group === undefined &&
      (l.item.value !== null || l.item.group !== null),
  );
}

export function reportModel(answer: BenchmarkResult, options: ReportOptions): ReportModel {
  const { lang, subject } = options;
  const words = reportText[lang].pdf;
  const bench = benchmarkText[lang];
  const selected = answer.selected;
  const integers = new Intl.NumberFormat(localeTag(lang), { maximumFractionDigits: 0 });
  const unitText = {
    days: (v: string) => fillTemplate(bench.days, { value: v }),
    times: (v: string) => fillTemplate(bench.times, { value: v }),
  };
  const format = (metric: MetricDefinition, value: number | null | undefined) =>
    value === null || value === undefined
      ? ABSENT
      : formatMetric(value, metric.unit, lang, unitText);

  const lines: Line[] = selected.items.flatMap((item) => {
    const metric = metricById(item.id);
    return metric === undefined ? [] : [{ item, metric }];
  });
  const main = mainPeerGroup(selected.items);
  const subjectText =
    subject.clientLabel === null
      ? subject.orgName
      : fillTemplate(words.client, { bureau: subject.orgName, label: subject.clientLabel });

  const rowOf = ({ item, metric }: Line): ReportRow => ({
    id: item.id,
    name: metric.name[lang],
    value: format(metric, item.value),
    p25: format(metric, item.p25),
    median: format(metric, item.p50),
    p75: format(metric, item.p75),
    index: item.index === null ? ABSENT : String(item.index),
    n: item.n === null || item.group === null ? ABSENT : integers.format(item.n),
    indexValue: item.index,
    withheld: item.group === null,
  });

  const noteOf = ({ item, metric }: Line): string[] => {
    const figure = metric.name[lang];
    if (item.group === null) {
      return [fillTemplate(words.withheld, { figure, min: answer.minGroupSize })];
    }
    if (main !== null && !sameGroup(item.group, main.group)) {
      const group = describePeerGroup(item.group, lang, item.n);
      return [fillTemplate(words.otherGroup, { figure, group })];
    }
    return [];
  };

  const sections = REPORT_SECTIONS.flatMap((id): ReportSection[] => {
    const list = sectionLines(lines, id);
    if (list.length === 0) return [];
    return [
      {
        id,
        title: bench.categories[id],
        rows: list.map(rowOf),
        chart: list.flatMap(({ item, metric }) => {
          const positions = item.group === null ? null : bandPositions(item);
          return positions === null
            ? []
            : [{ id: item.id, name: metric.name[lang], positions, indexValue: item.index }];
        }),
        notes: list.flatMap(noteOf),
      },
    ];
  });

  const weakest = weakestItems(lines).map(({ item, metric }) => ({
    id: item.id,
    name: metric.name[lang],
    index: item.index!,
    text: fillTemplate(words.weakestLine, {
      index: item.index!,
      value: format(metric, item.value),
      median: format(metric, item.p50),
    }),
  }));

  const points = [...answer.history]
    .sort((a, b) => a.year - b.year)
    .map((y) => ({
      year: y.year,
      index: y.overallIndex,
      text: y.overallIndex === null ? ABSENT : String(y.overallIndex),
    }));

  const shownIds = new Set<string>(sections.flatMap((s) => s.rows.map((r) => r.id)));
  const compared = selected.items.filter((i) => i.index !== null).length;
  const computed = selected.items.filter((i) => i.value !== null).length;

  return {
    lang,
    fileName: reportFileName(subject.clientLabel ?? subject.orgName, selected.year),
    year: selected.year,
    title: words.documentTitle,
    subject: subjectText,
    facts: [
      {
        label: words.fiscalYear,
        text: `${selected.year} (${fillTemplate(words.period, {
          start: formatDate(selected.start, lang),
          end: formatDate(selected.end, lang),
        })})`,
      },
      {
        label: words.peerGroup,
        text: main === null ? words.noPeerGroup : describePeerGroup(main.group, lang, main.n),
      },
      {
        label: words.figuresCompared,
        text: fillTemplate(words.figuresComparedValue, { compared, total: computed }),
      },
      { label: words.madeOn, text: formatDate(options.madeOn, lang) },
    ],
    demoNote: answer.demo ? bench.demo : null,
    privacyNote: words.privacy,
    overall: {
      heading: `${bench.overall} ${selected.year}`,
      index: selected.overallIndex,
      text: selected.overallIndex === null ? ABSENT : String(selected.overallIndex),
      of: words.overallOf,
      hint: bench.overallHint,
    },
    weakest: {
      heading: bench.weakest,
      intro: words.weakestIntro,
      entries: weakest,
      empty: weakest.length === 0 ? words.noWeakest : null,
    },
    columns: words.columns,
    chartLegend: fillTemplate(words.chartLegend, { deciles: DECILE_MIN_GROUP_SIZE }),
    absentNote: words.absent,
    sections,
    trend: {
      heading: `${bench.trend}: ${bench.trendOverall}`,
      hint: words.trendHint,
      points,
      empty: points.some((p) => p.index !== null) ? null : words.noTrend,
    },
    appendix: {
      heading: words.appendix,
      formulaLabel: words.formula,
      figures: METRICS.filter((m) => shownIds.has(m.id)).map((m) => ({
        id: m.id,
        name: m.name[lang],
        formula: m.formula[lang],
        explanation: m.explanation[lang],
      })),
      rulesHeading: words.rulesHeading,
      rules: [
        fillTemplate(words.rules.groupSize, { min: answer.minGroupSize }),
        words.rules.groups,
        fillTemplate(words.rules.deciles, { deciles: DECILE_MIN_GROUP_SIZE }),
        fillTemplate(words.rules.rounding, { digits: SIGNIFICANT_DIGITS }),
        words.rules.index,
      ],
    },
    footer: fillTemplate(words.footer, { subject: subjectText, year: selected.year }),
    pageTemplate: words.page,
  };
}
