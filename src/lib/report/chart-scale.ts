/**
 * Where a figure's quartile band, median and the company's own value lie on that figure's own
 * axis, as fractions 0–1 of the chart width. Every figure has its own unit and spread, so the
 * axis runs from the lowest to the highest of the released quantiles and the company's value,
 * with a margin of 8 % of the spread on each side (10 % of the value, or 1, when all coincide).
 * Positions are therefore comparable within one row only; the table beside gives the numbers.
 */
export interface QuantileInput {
  value: number | null;
  p10?: number;
  p25?: number;
  p50?: number;
  p75?: number;
  p90?: number;
}

/** Fractions 0–1 of the chart width; undefined where the number is absent. */
export interface BandPositions {
  p10: number | undefined;
  p25: number | undefined;
  p50: number | undefined;
  p75: number | undefined;
  p90: number | undefined;
  value: number | undefined;
}

const MARGIN_SHARE = 0.08;

export function bandPositions(input: QuantileInput): BandPositions | null {
  const points = [input.p10, input.p25, input.p50, input.p75, input.p90, input.value].filter(
    (v): v is number => v !== undefined && v !== null,
  );
  if (points.length === 0) return null;
  const lo = Math.min(...points);
  const hi = Math.max(...points);
  const pad = hi > lo ? (hi - lo) * MARGIN_SHARE : Math.abs(hi) * 0.1 || 1;
  const at = (v: number | null | undefined) =>
    v === undefined || v === null ? undefined : (v - (lo - pad)) / (hi - lo + 2 * pad);
  return {
    p10: at(input.p10),
    p25: at(input.p25),
    p50: at(input.p50),
    p75: at(input.p75),
    p90: at(input.p90),
    value: at(input.value),
  };
}
