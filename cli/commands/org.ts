import type { Command } from 'commander';
import { normaliseOrgNumber } from '../../domain/org-number';
import { confirmMember, createOrganisation } from '../../src/lib/core/account/organisation';
import { fingerprint } from '../../src/lib/core/crypto/index';
import { cliFailure } from '../failure';
import { addUserOptions, chooseOrg, loggedIn, type UserOptions } from '../user-session';

interface CreateOptions extends UserOptions {
  kind: string;
  name: string;
  orgnr: string;
  street?: string;
  postalCode?: string;
  city?: string;
}

const withOrg = (command: Command) =>
  addUserOptions(command).option('--org <orgnr>', 'which organisation, if you are in several');

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('Organisations (companies and bureaus)');

  addUserOptions(org.command('create'))
    .description('Create a company or bureau; you become its owner and hold its key')
    .requiredOption('--kind <kind>', 'company or bureau')
    .requiredOption('--name <name>', 'the organisation’s name')
    .requiredOption('--orgnr <number>', 'Swedish organisation number, e.g. 556677-8899')
    .option('--street <street>', 'street address (company)')
    .option('--postal-code <code>', 'postal code (company)')
    .option('--city <city>', 'city (company)')
    .action(async (options: CreateOptions) => {
      if (options.kind !== 'company' && options.kind !== 'bureau') {
        throw cliFailure(1, '--kind must be company or bureau');
      }
      const orgNumber = normaliseOrgNumber(options.orgnr);
      if (!orgNumber)
        throw cliFailure(1, `--orgnr ${options.orgnr} is not a valid organisation number`);
      const { api, session } = await loggedIn(options);
      const address =
        options.street || options.postalCode || options.city
          ? {
              street: options.street ?? '',
              postalCode: options.postalCode ?? '',
              city: options.city ?? '',
            }
          : null;
      const { orgId } = await createOrganisation({ api }, session, {
        kind: options.kind,
        name: options.name,
        orgNumber,
        address,
      }).finally(() => api.logout.mutate().catch(() => undefined));
      process.stdout.write(
        `${JSON.stringify({ orgId, orgNumber, kind: options.kind }, null, 2)}\n`,
      );
    });

  withOrg(org.command('invite'))
    .description('Invite someone by e-mail (administrators)')
    .argument('<email>', 'the invitee’s e-mail address')
    .option('--role <role>', 'member or admin', 'member')
    .action(async (email: string, options: UserOptions & { role: string }) => {
      if (options.role !== 'member' && options.role !== 'admin') {
        throw cliFailure(1, '--role must be member or admin');
      }
      const { api } = await loggedIn(options);
      const membership = await chooseOrg(api, options.org).catch(async (error: unknown) => {
        await api.logout.mutate().catch(() => undefined);
        throw error;
      });
      const result = await api.org.invite
        .mutate({ orgId: membership.orgId, email: email.trim().toLowerCase(), role: options.role })
        .finally(() => api.logout.mutate().catch(() => undefined));
      process.stdout.write(`Invitation sent to ${email}; it expires ${result.expiresAt}.\n`);
    });

  withOrg(org.command('confirm'))
    .description('Grant the organisation key to a member who accepted an invitation')
    .argument('<email>', 'the member’s e-mail address')
    .option(
      '--fingerprint <fp>',
      'the member’s key fingerprint, as they read it to you (they see it under Account)',
    )
    .action(async (email: string, options: UserOptions & { fingerprint?: string }) => {
      const { api, session } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        const members = await api.org.members.query({ orgId: membership.orgId });
        const member = members.find((m) => m.email === email.trim().toLowerCase());
        if (!member) throw cliFailure(1, `${email} is not a member of ${membership.orgNumber}`);
        if (!options.fingerprint) {
          throw cliFailure(
            1,
            `compare ${email}'s key fingerprint with them, then run again with --fingerprint ${await fingerprint(member.publicKey)}`,
          );
        }
        await confirmMember({ api }, session, {
          orgId: membership.orgId,
          memberUserId: member.userId,
          expectedFingerprint: options.fingerprint,
        }).catch((error: unknown) => {
          throw cliFailure(1, error instanceof Error ? error.message : String(error));
        });
        process.stdout.write(`${email} now holds the key of ${membership.name}.\n`);
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });
}
