import type { Command } from 'commander';
import { resolve } from 'node:path';
import { CONFIG_DEFAULTS, CONFIG_ENV } from '../../server/config';
import { runBackup } from '../../server/ops/backup';
import { resolveBackupKey } from '../../server/ops/backup-key';
import type { BackupError, Outcome } from '../../server/ops/backup-outcome';
import { restoreBackup } from '../../server/ops/restore';
import { cliFailure } from '../failure';

interface BackupCommandOptions {
  identityTo: string;
  financeTo: string;
  data?: string;
  identityKeyFile?: string;
  financeKeyFile?: string;
}

interface RestoreCommandOptions {
  from: string;
  to: string;
  keyFile?: string;
  force?: boolean;
}

/** Exit code 2: the backup file was refused (wrong key, damaged, altered, wrong store). */
const REFUSED_FILE_CODES = new Set<BackupError['code']>([
  'WRONG_KEY',
  'NOT_A_BACKUP',
  'TAMPERED',
  'CHECKSUM_MISMATCH',
  'WRONG_STORE',
  'INTEGRITY',
]);

const dataDirOf = (flag: string | undefined) =>
  resolve(flag ?? process.env[CONFIG_ENV.dataDir] ?? CONFIG_DEFAULTS.dataDir);

/** The value, or a one-line failure: exit 2 when `from` names a backup file that was refused. */
function unwrap<T>(outcome: Outcome<T>, what: string, from: 'backup file' | 'other' = 'other'): T {
  if (outcome.ok) return outcome.value;
  const refusedFile = from === 'backup file' && REFUSED_FILE_CODES.has(outcome.error.code);
  throw cliFailure(refusedFile ? 2 : 1, `${what}: ${outcome.error.message}`);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** `nyckel backup` and `nyckel restore` (docs/OPERATIONS.md, "Backups"). */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Encrypted online backup of both databases, each to its own destination, with retention',
    )
    .requiredOption('--identity-to <dir>', 'destination of the identity database backups')
    .requiredOption('--finance-to <dir>', 'destination of the finance database backups')
    .option('--data <dir>', 'data directory (env NYCKEL_DATA_DIR)')
    .option(
      '--identity-key-file <file>',
      'file holding the identity backup key (else env NYCKEL_BACKUP_IDENTITY_KEY_FILE or NYCKEL_BACKUP_IDENTITY_KEY)',
    )
    .option(
      '--finance-key-file <file>',
      'file holding the finance backup key (else env NYCKEL_BACKUP_FINANCE_KEY_FILE or NYCKEL_BACKUP_FINANCE_KEY)',
    )
    .action(async (options: BackupCommandOptions) => {
      const identityKey = unwrap(
        resolveBackupKey('identity', {
          keyFile: options.identityKeyFile,
          env: process.env,
          flag: '--identity-key-file',
        }),
        'backup refused',
      );
      const financeKey = unwrap(
        resolveBackupKey('finance', {
          keyFile: options.financeKeyFile,
          env: process.env,
          flag: '--finance-key-file',
        }),
        'backup refused',
      );
      const report = unwrap(
        await runBackup({
          dataDir: dataDirOf(options.data),
          targets: {
            identity: { dir: resolve(options.identityTo), key: identityKey },
            finance: { dir: resolve(options.financeTo), key: financeKey },
          },
        }),
        'backup failed',
      );
      for (const store of report.stores) {
        const removed = store.removed.length > 0 ? `, removed ${store.removed.length} old` : '';
        process.stdout.write(
          `${store.role}: ${store.file} (${kib(store.entry.size)}, integrity ok, migration level ${store.entry.migrationLevel}, key id ${store.entry.keyId}; ${store.kept} kept${removed})\n`,
        );
      }
    });

  program
    .command('restore')
    .description('Verify, decrypt and restore one backup file into a data directory')
    .requiredOption('--from <file>', 'the .nyckel-backup file')
    .requiredOption('--to <dir>', 'the data directory to restore into')
    .option(
      '--key-file <file>',
      'file holding the key (else env NYCKEL_BACKUP_<STORE>_KEY_FILE or NYCKEL_BACKUP_<STORE>_KEY)',
    )
    .option('--force', 'replace an existing database (stop the server first)')
    .action(async (options: RestoreCommandOptions) => {
      const report = unwrap(
        await restoreBackup({
          from: options.from,
          dataDir: options.to,
          force: options.force === true,
          keyFor: (role) =>
            resolveBackupKey(role, {
              keyFile: options.keyFile,
              env: process.env,
              flag: '--key-file',
            }),
        }),
        'restore refused',
        'backup file',
      );
      const checksum = {
        verified: 'checksum matches manifest.json',
        'no-manifest': 'no manifest.json beside the file',
        'not-listed': 'not listed in manifest.json',
      }[report.manifest];
      process.stdout.write(
        `${report.role}: restored the backup of ${report.created} to ${report.file} (${checksum}; decrypted and authenticated; integrity ok; migration level ${report.migrationLevel})\n`,
      );
    });
}
