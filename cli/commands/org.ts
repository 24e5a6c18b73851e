import type { Command } from 'commander';
import { normaliseOrgNumber } from '../../domain/org-number';
import { confirmMember, createOrganisation } from '../../src/lib/core/account/organisation';
import { fingerprint } from '../../src/lib/core/crypto/index';
import { buildProfile } from '../../domain/profile';
import { describeProfileError } from '../../domain/profile-messages';
import { createEntity, updateProfile } from '../../src/lib/core/finance/entities';
import { cliFailure } from '../failure';
import { orgEntities } from '../org-entities';
import { addUserOptions, chooseOrg, loggedIn, type UserOptions } from '../user-session';

interface ProfileOptions extends UserOptions {
  sni: string;
  county: string;
  employees?: string;
}

/** The coarsened profile (SNI 3 digits, employee band, county) from the user's flags. */
function profileFrom(options: ProfileOptions) {
  const profile = buildProfile({
    sni: options.sni,
    county: options.county,
    employees: options.employees === undefined ? undefined : Number(options.employees),
  });
  if (!profile.ok) {
    throw cliFailure(1, profile.errors.map((e) => describeProfileError(e, 'en')).join('; '));
  }
  return profile.profile;
}

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

  withOrg(org.command('profile'))
    .description('Set the company profile peers are chosen by (sent coarsened, without a name)')
    .requiredOption('--sni <code>', 'SNI 2007 code, 5 digits (sent as its first 3)')
    .requiredOption('--county <code>', 'county (län) code, 01–25')
    .option('--employees <n>', 'number of employees (sent as a size band)')
    .action(async (options: ProfileOptions) => {
      const profile = profileFrom(options);
      const { api, session, server } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        if (membership.kind !== 'company')
          throw cliFailure(1, 'a bureau sets profiles per client: nyckel org client add');
        const { deps, org, entities } = await orgEntities(api, session, membership, server);
        const own = entities.find((e) => e.label === null);
        if (own) await updateProfile(deps.finance, own, profile);
        else await createEntity(deps, org, { profile });
        process.stdout.write(`Profile saved: ${JSON.stringify(profile)}\n`);
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });

  const client = org.command('client').description('A bureau’s clients, known only by your label');
  withOrg(client.command('add'))
    .description('Add a client; its label (customer number) is encrypted under the bureau key')
    .requiredOption('--label <label>', 'your customer number or label for the client')
    .requiredOption('--sni <code>', 'SNI 2007 code, 5 digits')
    .requiredOption('--county <code>', 'county (län) code, 01–25')
    .option('--employees <n>', 'number of employees')
    .action(async (options: ProfileOptions & { label: string }) => {
      const profile = profileFrom(options);
      const { api, session, server } = await loggedIn(options);
      try {
        const membership = await chooseOrg(api, options.org);
        if (membership.kind !== 'bureau') throw cliFailure(1, 'only a bureau has clients');
        const { deps, org, entities } = await orgEntities(api, session, membership, server);
        if (entities.some((e) => e.label === options.label)) {
          throw cliFailure(1, `a client labelled "${options.label}" already exists`);
        }
        await createEntity(deps, org, { profile, label: options.label });
        process.stdout.write(`Client ${options.label} added.\n`);
      } finally {
        await api.logout.mutate().catch(() => undefined);
      }
    });
}
