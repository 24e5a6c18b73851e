import type { Command } from 'commander';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { buildPayload } from '../../domain/sie-summary';
import { describeProfileError } from '../../domain/profile-messages';
import { BENCHMARK_LEVELS, type BenchmarkLevel } from '../../domain/benchmark';
import { describePeerGroup } from '../../domain/peer-group';
import { metricById } from '../../domain/ratios';
import { benchmark, listYears, uploadPayload } from '../../src/lib/core/finance/entities';
import { summarizeStream } from '../../workers/sie/summarize';
import { cliFailure } from '../failure';
import { orgEntities, pickEntity } from '../org-entities';
import { addUserOptions, chooseOrg, loggedIn, type UserOptions } from '../user-session';

interface FinanceOptions extends UserOptions {
  client?: string;
  employees?: string;
  json?: boolean;
  year?: string;
  level?: string;
}

/** `--year YYYY` → a fiscal year number, or a usage failure. */
const parseYear = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{4}$/.test(value))
    throw cliFailure(1, `--year must be a year like 2025, not "${value}"`);
  return Number(value);
};

const parseLevel = (value: string | undefined): BenchmarkLevel | undefined => {
  if (value === undefined) return undefined;
  const level = BENCHMARK_LEVELS.find((l) => l === value);
  if (!level) throw cliFailure(1, `--level must be one of ${BENCHMARK_LEVELS.join(', ')}`);
  return level;
};

/** A figure in its unit for the terminal: ratios as percent, amounts in kronor. */
const formatValue = (value: number | null | undefined, unit: string | undefined) => {
  if (value === null || value === undefined) return '–';
  if (unit === 'ratio') return `${(value * 100).toFixed(1)} %`;
  if (unit === 'sek') return `${Math.round(value).toLocaleString('en-GB')} kr`;
  return value.toFixed(1);
};

const digits = (value: string | null | undefined) => (value ?? '').replace(/\D/g, '').slice(-10);

export function registerFinanceCommands(program: Command): void {
  addUserOptions(program.command('upload'))
    .description('Read an SIE file here and upload only its account-group sums')
    .argument('<file>', 'SIE file')
    .option('--org <orgnr>', 'which organisation, if you are in several')
    .option('--client <label>', 'the bureau client (customer number) to upload for')
    .option('--employees <n>', 'number of employees in the newest year')
    .action(async (file: string, options: FinanceOptions) => {
      const size = (() => {
        try {
          return statSync(file).size;
        } catch {
          throw cliFailure(2, `${file}: cannot read`);
        }
      })();
      const parsed = await summarizeStream(createReadStream(file), {
        fileName: basename(file),
        totalBytes: size,
      });
      if (!parsed.data) {
        const error = parsed.diagnostics[0];
        throw cliFailure(2, `${file}: line ${error?.line ?? 1}: ${error?.message ?? 'rejected'}`);
      }
      const employees = options.employees === undefined ? undefined : Number(options.employees);
      const payload = buildPayload(parsed.data, { employees });
      if (!payload.ok) {
        throw cliFailure(
          1,
          payload.error.kind === 'profile'
            ? payload.error.errors.map((e) => describeProfileError(e, 'en')).join('; ')
            : payload.error.message,
        );
      }
      const { api, session, server } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        const { deps, entities } = await orgEntities(api, session, membership, server);
        const entity = pickEntity(membership, entities, options.client);
        const fileOrg = digits(parsed.data.company.orgNumber);
        if (membership.kind === 'company' && fileOrg && fileOrg !== digits(membership.orgNumber)) {
          process.stderr.write(
            `warning: the file is for org. no. ${parsed.data.company.orgNumber}, not ${membership.orgNumber}\n`,
          );
        }
        const result = await uploadPayload(deps.finance, entity, payload.payload);
        process.stdout.write(
          `Uploaded ${result.years} fiscal year(s): only account-group sums left this computer.\n`,
        );
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });

  addUserOptions(program.command('years'))
    .description('List the fiscal years uploaded for your company or a bureau client')
    .option('--org <orgnr>', 'which organisation, if you are in several')
    .option('--client <label>', 'the bureau client (customer number)')
    .option('--json', 'print JSON')
    .action(async (options: FinanceOptions) => {
      const { api, session, server } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        const { deps, entities } = await orgEntities(api, session, membership, server);
        const years = await listYears(
          deps.finance,
          pickEntity(membership, entities, options.client),
        );
        if (options.json) process.stdout.write(`${JSON.stringify(years, null, 2)}\n`);
        else
          for (const y of years)
            process.stdout.write(`${y.start} – ${y.end}  uploaded ${y.uploadedMonth}\n`);
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });

  addUserOptions(program.command('benchmark'))
    .description(
      'Compare your company (or a bureau client) with anonymous peers: every key ratio and cost item',
    )
    .option('--org <orgnr>', 'which organisation, if you are in several')
    .option('--client <label>', 'the bureau client (customer number)')
    .option('--year <YYYY>', 'the fiscal year (by the calendar year it ends in); default newest')
    .option('--level <level>', `peer-group industry level: ${BENCHMARK_LEVELS.join('|')}`)
    .option('--json', 'print JSON')
    .action(async (options: FinanceOptions) => {
      const year = parseYear(options.year);
      const level = parseLevel(options.level);
      const { api, session, server } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        const { deps, entities } = await orgEntities(api, session, membership, server);
        const entity = pickEntity(membership, entities, options.client);
        const result = await benchmark(deps.finance, entity, { year, level });
        const figures = result.selected.items.map(({ id, group, n, value, rank, index, ...q }) => ({
          id,
          group,
          n,
          ...q,
          value,
          rank,
          index,
        }));
        if (options.json) {
          const json = {
            format: 'nyckel.benchmark/1',
            year: result.selected.year,
            start: result.selected.start,
            end: result.selected.end,
            years: result.years,
            demo: result.demo,
            overallIndex: result.selected.overallIndex,
            figures,
          };
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        const out: string[] = [
          `Fiscal year ${result.selected.year} (${result.selected.start} – ${result.selected.end})` +
            `   overall index ${result.selected.overallIndex ?? '–'} / 100` +
            (result.demo ? '   [demo peers: synthetic population]' : ''),
          '',
        ];
        for (const item of result.selected.items) {
          if (item.value === null && item.group === null) continue;
          const metric = metricById(item.id);
          const unit = metric?.unit;
          out.push(
            [
              (metric?.name.en ?? item.id).padEnd(40),
              formatValue(item.value, unit).padStart(14),
              `median ${formatValue(item.p50, unit)}`.padStart(22),
              `index ${item.index ?? '–'}`.padStart(10),
              item.group ? `  ${describePeerGroup(item.group, 'en', item.n)}` : '  (no peer group)',
            ].join(''),
          );
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });
}
