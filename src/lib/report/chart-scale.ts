/**
 * Where a figure's quantile band, median and the company's own value lie on that figure's own
 * axis, as fractions 0–1 of the chart width. Every figure has its own unit and spread, so the
 * axis runs from the lowest to the highest released quantile, widened to take in the company's
 * value, with a margin of 8 % of the span on each side (10 % of the value, or 1, when all
 * coincide). A value further from the band than the band is wide would squash the band into a
 * line, so the axis stops there and the marker sits at its edge, flagged as beyond it.
 * Positions are comparable within one row only; the table beside gives the numbers.
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
  /** The value lies off the axis, below its start or above its end. */
  beyond: 'below' | 'above' | null;
}

const MARGIN_SHARE = 0.08;

const spanOf = (lo: number, hi: number) => (hi > lo ? hi - lo : Math.abs(hi) * 0.1 || 1);

export function bandPositions(input: QuantileInput): BandPositions | null {
  const quantiles = [input.p10, input.p25, input.p50, input.p75, input.p90].filter(
    (v): v is number => v !== undefined,
  );
  const value = input.value ?? undefined;
  const anchors = quantiles.length > 0 ? quantiles : value === undefined ? [] : [value];
  if (anchors.length === 0) return null;
  const qlo = Math.min(...anchors);
  const qhi = Math.max(...anchors);
  const reach = spanOf(qlo, qhi);
  const lo = value === undefined ? qlo : Math.max(Math.min(qlo, value), qlo - reach);
  const hi = value === undefined ? qhi : Math.min(Math.max(qhi, value), qhi + reach);
  const pad = hi > lo ? (hi - lo) * MARGIN_SHARE : spanOf(lo, hi);
  const at = (v: number | undefined) =>
    v === undefined ? undefined : (v - (lo - pad)) / (hi - lo + 2 * pad);
  const beyond = value === undefined ? null : value < lo ? 'below' : value > hi ? 'above' : null;
  return {
    p10: at(input.p10),
    p25: at(input.p25),
    p50: at(input.p50),
    p75: at(input.p75),
    p90: at(input.p90),
    value: at(beyond === 'below' ? lo : beyond === 'above' ? hi : value),
    beyond,
  };
}
