/**
 * Writes the sample SIE file bundled with the app (static/sample/), so a person can try Nyckel
 * without their own books. It is synthetic — one company of the deterministic demo population
 * (an IT consultancy with 5–9 employees, fiscal years 2023–2025) — written as an SIE 1 file
 * (year-end balances and results per account, CP437, CRLF) and named as sample data in the
 * file itself. Run `npx tsx scripts/make-sample-sie.ts` after changing the demo generator; the
 * output is committed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCp437Strict } from '../bench/text-encoding.ts';
import { BAS_GROUP_NAMES } from '../domain/bas-groups.ts';
import { isBalanceGroup } from '../domain/bas.ts';
import { computeMetrics } from '../domain/ratios.ts';
import { SAMPLE_SIE } from '../domain/sample.ts';
import { generateDemoPopulation } from '../server/finance/demo/index.ts';

const fiscalYears = [2023, 2024, 2025].map((y) => ({ start: `${y}-01-01`, end: `${y}-12-31` }));

/** A healthy, ordinary company: profit every year, positive equity, stated head count. */
const company = [...generateDemoPopulation({ entities: 3000, seed: 2025, fiscalYears })].find(
  (e) =>
    e.sni3 === '620' &&
    e.employeeBand === '5-9' &&
    e.years.every((y) => y.employees !== null) &&
    e.years.every((y, i) => {
      const m = computeMetrics(y, e.years[i - 1]);
      return (m.net_margin ?? -1) > 0.02 && (m.equity_ratio ?? -1) > 0.2;
    }),
);
if (!company) throw new Error('no suitable sample company in the demo population');

const ore = (amount: number) => (amount / 100).toFixed(2);
/** One account per group: `<group>10` with the group's BAS name (1910 Kassa och bank …). */
const account = (group: string) => `${group}10`;
const text = (value: string) => `"${value.replace(/"/g, '\\"')}"`;

const newestFirst = [...company.years].reverse();
const groups = new Set(
  newestFirst.flatMap((y) => [...Object.keys(y.balance), ...Object.keys(y.result)]),
);
const lines = [
  '#FLAGGA 0',
  `#PROGRAM ${text('Nyckel exempelfil')} 1.0`,
  '#FORMAT PC8',
  '#GEN 20260115',
  '#SIETYP 1',
  `#FNAMN ${text(SAMPLE_SIE.companyName)}`,
  `#ORGNR ${SAMPLE_SIE.orgNumber}`,
  '#VALUTA SEK',
  ...newestFirst.map(
    (y, i) => `#RAR ${-i} ${y.start.replace(/-/g, '')} ${y.end.replace(/-/g, '')}`,
  ),
  ...[...groups]
    .sort()
    .map((g) => `#KONTO ${account(g)} ${text(BAS_GROUP_NAMES[g]?.sv ?? `Grupp ${g}`)}`),
  ...newestFirst.flatMap((y, i) => [
    ...Object.entries(y.balance)
      .filter(([g]) => isBalanceGroup(g))
      .flatMap(([g, { ib, ub }]) => [
        `#IB ${-i} ${account(g)} ${ore(ib)}`,
        `#UB ${-i} ${account(g)} ${ore(ub)}`,
      ]),
    ...Object.entries(y.result).map(([g, amount]) => `#RES ${-i} ${account(g)} ${ore(amount)}`),
  ]),
];
const bytes = encodeCp437Strict(`${lines.join('\r\n')}\r\n`);
const path = join(import.meta.dirname, '..', 'static', 'sample', SAMPLE_SIE.fileName);
writeFileSync(path, bytes);
console.log(
  `${path}: ${bytes.length} bytes, ${company.years.length} fiscal years, SNI ${company.sni3}, ` +
    `${company.years.at(-1)!.employees} employees`,
);
