import type { Command } from 'commander';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ProfileInput } from '../../domain/profile';
import { describeProfileError } from '../../domain/profile-messages';
import { buildPayload, toCliSummary, type LocalSummary } from '../../domain/sie-summary';
import type { Diagnostic } from '../../domain/sie-diagnostics';
import { summarizeStream } from '../../workers/sie/summarize';
import { cliFailure } from '../failure';

/**
 * Runs the same engine the browser worker runs, on a Node file stream. A rejected file
 * becomes exit code 2 with its one diagnostic as a single line on stderr.
 */
async function summarizeFile(
  file: string,
): Promise<{ summary: LocalSummary; diagnostics: Diagnostic[] }> {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (error) {
    throw cliFailure(2, `${file}: cannot read: ${error instanceof Error ? error.message : error}`);
  }
  const result = await summarizeStream(createReadStream(file, { highWaterMark: 1 << 16 }), {
    fileName: basename(file),
    totalBytes: size,
  });
  if (!result.data) {
    const error = result.diagnostics.find((d) => d.severity === 'error');
    throw cliFailure(
      2,
      `${file}: line ${error?.line ?? 1}: ${error?.code ?? 'REJECTED'}: ${error?.message ?? 'rejected'}`,
    );
  }
  return { summary: result.data, diagnostics: result.diagnostics };
}

const formatOre = (ore: number) =>
  (ore / 100).toLocaleString('sv-SE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function printHuman(file: string, summary: LocalSummary, diagnostics: Diagnostic[]): void {
  const out: string[] = [];
  out.push(`${file}`);
  out.push(
    `  SIE ${summary.sieType}, ${summary.encoding}, checksum ${summary.checksum}, ${summary.currency}`,
  );
  if (summary.company.name)
    out.push(`  company: ${summary.company.name} ${summary.company.orgNumber ?? ''}`);
  for (const year of summary.years) {
    out.push(`  year ${year.index}: ${year.start} – ${year.end} (${year.source})`);
    for (const [group, { ib, ub }] of Object.entries(year.balance)) {
      out.push(`    ${group}  IB ${formatOre(ib).padStart(18)}  UB ${formatOre(ub).padStart(18)}`);
    }
    for (const [group, amount] of Object.entries(year.result)) {
      out.push(`    ${group}  ${formatOre(amount).padStart(22)}`);
    }
  }
  for (const d of diagnostics) out.push(`  line ${d.line}: ${d.severity} ${d.code}: ${d.message}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

const parseEmployees = (value: string): number => {
  if (!/^[0-9]{1,7}$/.test(value))
    throw cliFailure(1, `--employees must be a whole number, got "${value}"`);
  return Number(value);
};

export function registerSieCommands(program: Command): void {
  const sie = program
    .command('sie')
    .description('Read SIE files locally, exactly as the app does in the browser');

  sie
    .command('summarize')
    .description('Sum an SIE file per account group and fiscal year')
    .argument('<file>', 'SIE file (types 1, 2, 3, 4E, 4I)')
    .option('--json', 'print the nyckel.sie-summary/1 JSON object')
    .action(async (file: string, options: { json?: boolean }) => {
      const { summary, diagnostics } = await summarizeFile(file);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(toCliSummary(summary, diagnostics), null, 2)}\n`);
      } else {
        printHuman(file, summary, diagnostics);
      }
    });

  sie
    .command('payload')
    .description('Print exactly the JSON the app would upload for this file (nothing else)')
    .argument('<file>', 'SIE file')
    .option('--sni <code>', 'SNI 2007 code, 5 digits (uploaded as its first 3 digits)')
    .option('--employees <n>', 'number of employees (uploaded as a size band)', parseEmployees)
    .option('--county <code>', 'county (län) code, 01–25')
    .action(
      async (file: string, options: { sni?: string; employees?: number; county?: string }) => {
        const profile: ProfileInput = {
          sni: options.sni,
          employees: options.employees,
          county: options.county,
        };
        const { summary } = await summarizeFile(file);
        const result = buildPayload(summary, profile);
        if (!result.ok) {
          if (result.error.kind === 'profile') {
            throw cliFailure(
              1,
              result.error.errors.map((e) => describeProfileError(e, 'en')).join('; '),
            );
          }
          throw cliFailure(2, `${file}: ${result.error.message}`);
        }
        process.stdout.write(`${JSON.stringify(result.payload, null, 2)}\n`);
      },
    );
}
