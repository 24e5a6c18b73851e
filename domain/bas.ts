/**
 * BAS chart-of-accounts grouping (DESIGN §4). A group is the first two digits of a numeric
 * account number with at least four digits. Balance groups are 10–29, result groups 30–89;
 * accounts 8990–8999 (year result) are excluded from result groups; class 9 (internal
 * accounting) and class 0 are outside the chart and skipped.
 */

export type AccountSkipReason = 'class-9' | 'class-0' | 'non-numeric' | 'too-short';

export type AccountGroupResult =
  | { readonly ok: true; readonly group: string }
  | { readonly ok: false; readonly reason: AccountSkipReason };

export const BALANCE_GROUP_MIN = 10;
export const BALANCE_GROUP_MAX = 29;
export const RESULT_GROUP_MIN = 30;
export const RESULT_GROUP_MAX = 89;

const DIGITS = /^[0-9]+$/;

/** Group of an account number, or why it is skipped. */
export function accountGroup(account: string): AccountGroupResult {
  const a = account.trim();
  if (!DIGITS.test(a)) return { ok: false, reason: 'non-numeric' };
  if (a.length < 4) return { ok: false, reason: 'too-short' };
  if (a[0] === '9') return { ok: false, reason: 'class-9' };
  if (a[0] === '0') return { ok: false, reason: 'class-0' };
  return { ok: true, group: a.slice(0, 2) };
}

function groupNumber(group: string | number): number {
  if (typeof group === 'number') return Number.isInteger(group) ? group : NaN;
  return /^[0-9]{2}$/.test(group) ? Number(group) : NaN;
}

/** Groups 10–29 (balance sheet). */
export function isBalanceGroup(group: string | number): boolean {
  const g = groupNumber(group);
  return g >= BALANCE_GROUP_MIN && g <= BALANCE_GROUP_MAX;
}

/** Groups 30–89 (income statement). */
export function isResultGroup(group: string | number): boolean {
  const g = groupNumber(group);
  return g >= RESULT_GROUP_MIN && g <= RESULT_GROUP_MAX;
}

/** Accounts 8990–8999 book the year result; they never enter result groups. */
export function isYearResultAccount(account: string): boolean {
  const a = account.trim();
  if (!DIGITS.test(a) || a.length < 4) return false;
  const first4 = Number(a.slice(0, 4));
  return first4 >= 8990 && first4 <= 8999;
}

/** Two-digit key for a group number (`7` → `"07"`). */
export function groupKey(group: number): string {
  return group < 10 ? `0${group}` : String(group);
}
