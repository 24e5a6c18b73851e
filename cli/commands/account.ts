import type { Command } from 'commander';
import { describePasswordProblem } from '../../domain/password-policy';
import { isPasswordPolicyError, register } from '../../src/lib/core/account/account';
import { cliFailure } from '../failure';
import { addUserOptions, loggedIn, userContext, type UserOptions } from '../user-session';

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export function registerAccountCommands(program: Command): void {
  const account = program.command('account').description('Your Nyckel account');

  addUserOptions(account.command('register'))
    .description('Create an account; prints the recovery code once (keep it safe)')
    .action(async (options: UserOptions) => {
      const { api, email, password } = await userContext(options);
      try {
        const created = await register({ api }, { email, password });
        process.stderr.write(
          'Account created. Confirm your e-mail address with the link we sent (or `nyckel account verify --token T`).\n' +
            'Your recovery code is shown only now. Keep it somewhere safe:\n',
        );
        print({
          userId: created.userId,
          recoveryCode: created.recoveryCode,
          fingerprint: created.fingerprint,
        });
      } catch (error) {
        if (isPasswordPolicyError(error))
          throw cliFailure(1, describePasswordProblem(error.problem, 'en'));
        throw error;
      }
    });

  account
    .command('verify')
    .description('Confirm your e-mail address with the token from the verification mail')
    .requiredOption('--token <token>', 'the token from the link')
    .option('--server <url>', 'Nyckel server URL (env NYCKEL_SERVER)')
    .action(async (options: { token: string; server?: string }) => {
      const server = options.server ?? process.env.NYCKEL_SERVER;
      if (!server) throw cliFailure(1, 'no server: give --server URL or set NYCKEL_SERVER');
      const { createIdentityClient } = await import('../../src/lib/core/api/clients');
      await createIdentityClient({ baseUrl: new URL(server).origin }).verifyEmail.mutate({
        token: options.token,
      });
      process.stdout.write('E-mail address confirmed.\n');
    });

  addUserOptions(account.command('login'))
    .description('Check your credentials: log in, unlock the keys, print who you are')
    .action(async (options: UserOptions) => {
      const { api, session } = await loggedIn(options);
      const me = await api.me.query();
      print({
        user: session.user,
        memberships: me.memberships.map((m) => ({
          orgNumber: m.orgNumber,
          name: m.name,
          kind: m.kind,
          role: m.role,
          status: m.status,
        })),
      });
      await api.logout.mutate();
    });
}
