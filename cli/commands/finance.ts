import type { Command } from 'commander';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { buildPayload } from '../../domain/sie-summary';
import { describeProfileError } from '../../domain/profile-messages';
import { listYears, uploadPayload } from '../../src/lib/core/finance/entities';
import { summarizeStream } from '../../workers/sie/summarize';
import { cliFailure } from '../failure';
import { orgEntities, pickEntity } from '../org-entities';
import { addUserOptions, chooseOrg, loggedIn, type UserOptions } from '../user-session';

interface FinanceOptions extends UserOptions {
  client?: string;
  employees?: string;
  json?: boolean;
}

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
}
