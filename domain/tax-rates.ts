/**
 * Swedish corporate income tax (bolagsskatt) per fiscal year, used to split untaxed reserves
 * (obeskattade reserver) into an equity part and a deferred-tax part (DESIGN §7 adjusted equity).
 *
 * The rate in inkomstskattelagen (1999:1229) 65 kap. 14 § applies to fiscal years (beskattningsår)
 * that BEGIN on or after the date a change took effect; a fiscal year that straddles a change
 * keeps the rate of the year it began in (the transition rule of each amendment). Sources:
 * - 28 %: in force since 1994, for fiscal years beginning before 2009-01-01.
 * - 26.3 %: prop. 2008/09:1 — fiscal years beginning on/after 2009-01-01.
 * - 22 %: prop. 2012/13:1 (riksdag decision 2012-11-21) — fiscal years beginning on/after
 *   2013-01-01.
 * - 21.4 % then 20.6 %: prop. 2017/18:245 "Nya skatteregler för företagssektorn" — fiscal years
 *   beginning on/after 2019-01-01 and 2021-01-01 respectively.
 * Rates and start dates cross-checked against published summaries (e.g. the rate table per
 * fiscal year that Swedish accounting firms publish); verify here first if a new change comes.
 */

/** Rates as fractions, newest first; each applies to fiscal years starting on/after `from`. */
export const CORPORATE_TAX_RATES: ReadonlyArray<{ readonly from: string; readonly rate: number }> =
  [
    { from: '2021-01-01', rate: 0.206 },
    { from: '2019-01-01', rate: 0.214 },
    { from: '2013-01-01', rate: 0.22 },
    { from: '2009-01-01', rate: 0.263 },
  ];

/** The rate for fiscal years that began before the oldest change listed above. */
export const CORPORATE_TAX_RATE_BEFORE_2009 = 0.28;

/**
 * The corporate tax rate (a fraction, 0.206 = 20.6 %) for a fiscal year beginning on
 * `fiscalStart` (ISO `YYYY-MM-DD`; ISO dates compare correctly as strings).
 */
export function corporateTaxRate(fiscalStart: string): number {
  const match = CORPORATE_TAX_RATES.find((r) => fiscalStart >= r.from);
  return match === undefined ? CORPORATE_TAX_RATE_BEFORE_2009 : match.rate;
}
