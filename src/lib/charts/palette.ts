/**
 * The chart palette and the index colour, apart from ECharts so that screens and the PDF
 * report can use the colours without loading the chart library.
 */
/** The brand palette, shared by every chart. */
export const CHART_COLORS = {
  brand: '#0f4c5c',
  band: '#9cc3cf',
  bandLight: '#dcebf0',
  median: '#0a3540',
  good: '#136b3c',
  middle: '#8a5a00',
  weak: '#b42318',
  text: '#1c2430',
  muted: '#5b6573',
} as const;

/** Green from 60, amber 40–59, red below 40: the index colour everywhere. */
export const indexColor = (index: number | null): string =>
  index === null
    ? CHART_COLORS.muted
    : index >= 60
      ? CHART_COLORS.good
      : index >= 40
        ? CHART_COLORS.middle
        : CHART_COLORS.weak;
