import type { Command } from 'commander';
import { loadConfig } from '../../server/config';
import { openIdentityStore } from '../../server/identity/store';
import { createSupportAccount } from '../../server/identity/support-account';
import { describePasswordProblem, checkPassword } from '../../domain/password-policy';
import {
  createAccountKeys,
  deriveAccountSecrets,
  newKdfParams,
} from '../../src/lib/core/crypto/index';
import { cliFailure } from '../failure';
import { promptSecret } from '../prompt';

/**
 * Operator commands that work on the local data directory (run them on the server host).
 * The support account's keys are derived here exactly as a browser would at registration.
 */
export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description('Operator commands on the local data directory');

  admin
    .command('create-support')
    .description('Create a support account (no access to any organisation or figure)')
    .argument('<email>', 'the support person’s e-mail address')
    .option('--data <dir>', 'data directory (env NYCKEL_DATA_DIR)')
    .action(async (email: string, options: { data?: string }) => {
      const loaded = loadConfig(process.env, { dataDir: options.data });
      if (!loaded.ok) throw cliFailure(1, loaded.errors.join('; '));
      const password =
        process.env.NYCKEL_PASSWORD ??
        (await promptSecret(`Password for the support account ${email}: `));
      const check = checkPassword(password);
      if (!check.ok) throw cliFailure(1, describePasswordProblem(check.problem, 'en'));
      const userId = crypto.randomUUID();
      const kdf = newKdfParams();
      const { authKey, wrapKey } = await deriveAccountSecrets(password, kdf);
      const keys = await createAccountKeys({ userId, wrapKey });
      const store = openIdentityStore(loaded.config.dataDir);
      try {
        await createSupportAccount(store, {
          userId,
          email: email.trim().toLowerCase(),
          kdf,
          authKey,
          wrappedUserKey: keys.wrappedUserKey,
          publicKey: keys.publicKey,
          wrappedPrivateKey: keys.wrappedPrivateKey,
          recovery: {
            wrappedUserKey: keys.recovery.wrappedUserKey,
            authKey: keys.recovery.authKey,
          },
        });
      } catch (error) {
        throw cliFailure(1, error instanceof Error ? error.message : String(error));
      } finally {
        store.close();
      }
      process.stdout.write(
        `Support account ${email} created. It can look up accounts, never keys or figures.\n`,
      );
    });
}
