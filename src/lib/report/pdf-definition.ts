/**
 * Lays the report model out as a pdfmake document: A4, Roboto (embedded, so å ä ö and the
 * minus and dash signs render everywhere), vector charts drawn with pdfmake's canvas (no
 * images, nothing fetched). Pure: the same model gives the same definition, in the browser
 * (src/lib/report/pdf.ts) and in the Node tests.
 */
import type {
  CanvasElement,
  Content,
  ContentTable,
  TableCell,
  TDocumentDefinitions,
} from 'pdfmake/interfaces';
import { CHART_COLORS, indexColor } from '../charts/palette';
import type { ReportChartRow, ReportModel, ReportRow, ReportSection } from './model';
import { fillTemplate } from './template';

/** pdfmake reads `language` (the PDF's /Lang) although its types do not list it. */
export type ReportDefinition = TDocumentDefinitions & { language: string };

const PAGE_MARGIN_X = 40;
/** A4 width (595.28 pt) less both margins. */
const CONTENT_WIDTH = 515;
const NAME_COLUMN = 170;
const CHART_WIDTH = CONTENT_WIDTH - NAME_COLUMN - 12;
const CHART_ROW_HEIGHT = 11;
const GAUGE_WIDTH = 300;
const GAUGE_HEIGHT = 14;
const TREND_COLUMN = 46;
const TREND_BAR = 22;
const TREND_HEIGHT = 80;
const TRACK = '#e4e9ee';
const RULE = '#dde2e8';
const NOTE_BACKGROUND = '#fff6db';

const noBorders = 'noBorders' as const;

const lightRows = {
  hLineWidth: (i: number) => (i === 0 ? 0 : 0.5),
  vLineWidth: () => 0,
  hLineColor: () => RULE,
  paddingTop: () => 2.5,
  paddingBottom: () => 2.5,
};

function gauge(index: number | null): CanvasElement[] {
  const filled = index === null ? 0 : (GAUGE_WIDTH * index) / 100;
  return [
    { type: 'rect', x: 0, y: 4, w: GAUGE_WIDTH, h: GAUGE_HEIGHT, r: 4, color: TRACK },
    ...(filled > 0
      ? [
          {
            type: 'rect',
            x: 0,
            y: 4,
            w: Math.max(filled, 2),
            h: GAUGE_HEIGHT,
            r: 4,
            color: indexColor(index),
          } satisfies CanvasElement,
        ]
      : []),
    {
      type: 'line',
      x1: GAUGE_WIDTH / 2,
      y1: 0,
      x2: GAUGE_WIDTH / 2,
      y2: GAUGE_HEIGHT + 8,
      lineWidth: 1.5,
      lineColor: CHART_COLORS.median,
    },
  ];
}

function overallBlock(model: ReportModel): Content {
  const { overall } = model;
  return {
    unbreakable: true,
    stack: [
      { text: overall.heading, style: 'h2' },
      {
        columns: [
          {
            width: 110,
            stack: [
              {
                text: overall.text,
                fontSize: 34,
                bold: true,
                color: indexColor(overall.index),
              },
              { text: overall.of, style: 'muted' },
            ],
          },
          {
            width: GAUGE_WIDTH,
            stack: [
              { canvas: gauge(overall.index), margin: [0, 10, 0, 2] },
              {
                columns: [
                  { text: '0', style: 'muted' },
                  { text: '50', style: 'muted', alignment: 'center' },
                  { text: '100', style: 'muted', alignment: 'right' },
                ],
              },
            ],
          },
        ],
      },
      { text: overall.hint, style: 'muted', margin: [0, 6, 0, 0] },
    ],
  };
}

const badge = (text: string, index: number | null): TableCell =>
  index === null
    ? { text, alignment: 'center' }
    : { text, alignment: 'center', bold: true, color: '#ffffff', fillColor: indexColor(index) };

function weakestBlock(model: ReportModel): Content {
  const { weakest } = model;
  return {
    unbreakable: true,
    stack: [
      { text: weakest.heading, style: 'h2' },
      weakest.empty !== null
        ? { text: weakest.empty }
        : {
            stack: [
              { text: weakest.intro, margin: [0, 0, 0, 4] },
              {
                table: {
                  widths: [26, 170, '*'],
                  body: weakest.entries.map((e) => [
                    badge(String(e.index), e.index),
                    { text: e.name, bold: true },
                    { text: e.text, style: 'muted' },
                  ]),
                },
                layout: lightRows,
              },
            ],
          },
    ],
  };
}

function trendBlock(model: ReportModel): Content {
  const { trend } = model;
  const bar = (index: number | null): CanvasElement[] => [
    {
      type: 'line',
      x1: 0,
      y1: TREND_HEIGHT / 2,
      x2: TREND_COLUMN,
      y2: TREND_HEIGHT / 2,
      lineWidth: 0.75,
      lineColor: CHART_COLORS.muted,
      dash: { length: 2 },
    },
    { type: 'line', x1: 0, y1: TREND_HEIGHT, x2: TREND_COLUMN, y2: TREND_HEIGHT, lineColor: RULE },
    ...(index === null || index === 0
      ? []
      : [
          {
            type: 'rect',
            x: (TREND_COLUMN - TREND_BAR) / 2,
            y: TREND_HEIGHT - (TREND_HEIGHT * index) / 100,
            w: TREND_BAR,
            h: (TREND_HEIGHT * index) / 100,
            color: indexColor(index),
          } satisfies CanvasElement,
        ]),
  ];
  return {
    unbreakable: true,
    stack: [
      { text: trend.heading, style: 'h2' },
      { text: trend.hint, style: 'muted', margin: [0, 0, 0, 6] },
      trend.empty !== null
        ? { text: trend.empty }
        : {
            table: {
              widths: trend.points.map(() => TREND_COLUMN),
              body: [
                trend.points.map((p) => ({ text: p.text, bold: true, alignment: 'center' })),
                trend.points.map((p) => ({ canvas: bar(p.index) })),
                trend.points.map((p) => ({
                  text: String(p.year),
                  alignment: 'center',
                  style: 'muted',
                })),
              ] satisfies TableCell[][],
            },
            layout: {
              ...lightRows,
              hLineWidth: () => 0,
              paddingLeft: () => 0,
              paddingRight: () => 0,
            },
          },
    ],
  };
}

function chartBars(row: ReportChartRow): CanvasElement[] {
  const { positions: p } = row;
  const x = (fraction: number) => fraction * CHART_WIDTH;
  const band = (from: number | undefined, to: number | undefined, color: string) =>
    from === undefined || to === undefined
      ? []
      : [
          {
            type: 'rect',
            x: x(from),
            y: 1,
            w: Math.max(1, x(to) - x(from)),
            h: CHART_ROW_HEIGHT - 2,
            r: 2,
            color,
          } satisfies CanvasElement,
        ];
  return [
    ...band(p.p10, p.p90, CHART_COLORS.bandLight),
    ...band(p.p25, p.p75, CHART_COLORS.band),
    ...(p.p50 === undefined
      ? []
      : [
          {
            type: 'line',
            x1: x(p.p50),
            y1: -1,
            x2: x(p.p50),
            y2: CHART_ROW_HEIGHT + 1,
            lineWidth: 1.5,
            lineColor: CHART_COLORS.median,
          } satisfies CanvasElement,
        ]),
    ...(p.value === undefined ? [] : [marker(x(p.value), p.beyond, indexColor(row.indexValue))]),
  ];
}

/** The company's value: a dot, or an arrow at the axis' edge when it lies beyond. */
function marker(at: number, beyond: 'below' | 'above' | null, color: string): CanvasElement {
  const middle = CHART_ROW_HEIGHT / 2;
  if (beyond !== null) {
    const tip = beyond === 'above' ? at + 3 : at - 3;
    const base = beyond === 'above' ? at - 5 : at + 5;
    return {
      type: 'polyline',
      closePath: true,
      points: [
        { x: base, y: 0 },
        { x: tip, y: middle },
        { x: base, y: CHART_ROW_HEIGHT },
      ],
      color,
      lineColor: '#ffffff',
      lineWidth: 1,
    };
  }
  return {
    type: 'ellipse',
    x: at,
    y: middle,
    r1: 4,
    r2: 4,
    color,
    lineColor: '#ffffff',
    lineWidth: 1,
  };
}

function sectionChart(section: ReportSection): Content {
  return {
    table: {
      widths: [NAME_COLUMN, CHART_WIDTH],
      body: section.chart.map((row) => [
        { text: row.name, fontSize: 7.5, color: CHART_COLORS.text },
        { canvas: chartBars(row) },
      ]),
    },
    layout: { ...lightRows, hLineWidth: () => 0, paddingTop: () => 2, paddingBottom: () => 2 },
    margin: [0, 0, 0, 6],
  };
}

function figureTable(model: ReportModel, rows: ReportRow[]): ContentTable {
  const c = model.columns;
  const header = [c.metric, c.value, c.p25, c.median, c.p75, c.index, c.n].map(
    (text, i): TableCell => ({ text, style: 'tableHeader', alignment: i === 0 ? 'left' : 'right' }),
  );
  const number = (text: string): TableCell => ({ text, alignment: 'right', noWrap: true });
  return {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: ['*', 66, 58, 58, 58, 30, 30],
      body: [
        header,
        ...rows.map((row): TableCell[] => [
          { text: row.name },
          { text: row.value, alignment: 'right', noWrap: true, bold: true },
          number(row.p25),
          number(row.median),
          number(row.p75),
          badge(row.index, row.indexValue),
          number(row.n),
        ]),
      ],
    },
    layout: lightRows,
  };
}

/** A section this short stays on one page; a longer one keeps only its title with its chart. */
const UNBROKEN_SECTION_ROWS = 12;

function sectionBlock(model: ReportModel, section: ReportSection): Content {
  return {
    unbreakable: section.rows.length <= UNBROKEN_SECTION_ROWS,
    stack: [
      {
        unbreakable: true,
        stack: [
          { text: section.title, style: 'h2' },
          ...(section.chart.length > 0 ? [sectionChart(section)] : []),
        ],
      },
      figureTable(model, section.rows),
      ...section.notes.map((note) => ({ text: note, style: 'note' })),
    ],
  };
}

function appendixBlock(model: ReportModel): Content {
  const { appendix } = model;
  return {
    pageBreak: 'before',
    stack: [
      { text: appendix.heading, style: 'h1' },
      ...appendix.figures.map((figure): Content => ({
        unbreakable: true,
        margin: [0, 0, 0, 7],
        stack: [
          { text: figure.name, bold: true },
          {
            text: [
              { text: `${appendix.formulaLabel}: `, color: CHART_COLORS.muted },
              figure.formula,
            ],
            italics: false,
          },
          { text: figure.explanation },
        ],
      })),
      { text: appendix.rulesHeading, style: 'h2' },
      { ul: appendix.rules, margin: [0, 0, 0, 6] },
      ...(model.demoNote === null ? [] : [{ text: model.demoNote, style: 'muted' }]),
    ],
  };
}

function boxed(text: string): Content {
  return {
    table: { widths: ['*'], body: [[{ text, fillColor: NOTE_BACKGROUND, margin: [6, 4, 6, 4] }]] },
    layout: noBorders,
    margin: [0, 8, 0, 0],
  };
}

export function reportDefinition(model: ReportModel): ReportDefinition {
  return {
    language: model.lang === 'en' ? 'en-GB' : 'sv-SE',
    pageSize: 'A4',
    pageMargins: [PAGE_MARGIN_X, 44, PAGE_MARGIN_X, 48],
    displayTitle: true,
    info: {
      title: `${model.title} – ${model.subject} – ${model.year}`,
      subject: model.title,
      author: 'Nyckel',
      creator: 'Nyckel',
      producer: 'Nyckel',
    },
    defaultStyle: { font: 'Roboto', fontSize: 9, lineHeight: 1.2, color: CHART_COLORS.text },
    styles: {
      title: { fontSize: 24, bold: true, color: CHART_COLORS.median },
      subject: { fontSize: 16, bold: true, margin: [0, 4, 0, 12] },
      h1: { fontSize: 16, bold: true, color: CHART_COLORS.median, margin: [0, 0, 0, 10] },
      h2: { fontSize: 12.5, bold: true, color: CHART_COLORS.median, margin: [0, 16, 0, 6] },
      muted: { fontSize: 8, color: CHART_COLORS.muted },
      note: { fontSize: 7.5, color: CHART_COLORS.muted, margin: [0, 3, 0, 0] },
      tableHeader: { fontSize: 7.5, bold: true, color: CHART_COLORS.muted },
    },
    footer: (currentPage: number, pageCount: number): Content => ({
      margin: [PAGE_MARGIN_X, 18, PAGE_MARGIN_X, 0],
      columns: [
        { text: model.footer, style: 'muted' },
        {
          text: fillTemplate(model.pageTemplate, { page: currentPage, pages: pageCount }),
          style: 'muted',
          alignment: 'right',
          width: 'auto',
        },
      ],
    }),
    content: [
      { text: model.title, style: 'title' },
      { text: model.subject, style: 'subject' },
      {
        table: {
          widths: [120, '*'],
          body: model.facts.map((fact) => [
            { text: fact.label, color: CHART_COLORS.muted },
            { text: fact.text, bold: true },
          ]),
        },
        layout: lightRows,
      },
      ...(model.demoNote === null ? [] : [boxed(model.demoNote)]),
      { text: model.privacyNote, style: 'muted', margin: [0, 8, 0, 0] },
      overallBlock(model),
      weakestBlock(model),
      trendBlock(model),
      {
        pageBreak: 'before',
        stack: [
          { text: model.chartLegend, style: 'muted' },
          { text: model.absentNote, style: 'muted', margin: [0, 2, 0, 0] },
        ],
      },
      ...model.sections.map((section) => sectionBlock(model, section)),
      appendixBlock(model),
    ],
  };
}
