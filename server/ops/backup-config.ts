import { resolve } from 'node:path';
import { z } from 'zod';
import type { BackupOptions } from './backup-plan';
import { parseBackupKey, readBackupKeyFile, type BackupKey } from './backup-key';
import { failed, succeeded, type Outcome } from './backup-outcome';
import { BACKUP_KEY_ENV, STORE_ROLES, type StoreRole } from './backup-roles';

/**
 * The server's daily-backup settings, part of server/config.ts. `NYCKEL_BACKUP_AT` and the
 * two destination directories go together: if any of them is set, all three and a key per
 * store are required, and the server refuses to start otherwise. The key variables alone
 * configure nothing (they also serve `nyckel backup` run by hand or by cron).
 *
 * The key settings hold secrets: never log the configuration object.
 */
const DAILY_TIME = /^(?:|(?:[01]\d|2[0-3]):[0-5]\d)$/;

export const backupConfigShape = {
  /** `HH:MM`, server local time; empty: no daily backup. */
  backupAt: z
    .string()
    .regex(DAILY_TIME, 'must be HH:MM (24-hour clock, server local time), or empty for none'),
  backupIdentityDir: z.string(),
  backupFinanceDir: z.string(),
  backupIdentityKey: z.string(),
  backupFinanceKey: z.string(),
  backupIdentityKeyFile: z.string(),
  backupFinanceKeyFile: z.string(),
};

export type BackupConfig = { [K in keyof typeof backupConfigShape]: string };

export const BACKUP_CONFIG_DEFAULTS = {
  backupAt: '',
  backupIdentityDir: '',
  backupFinanceDir: '',
  backupIdentityKey: '',
  backupFinanceKey: '',
  backupIdentityKeyFile: '',
  backupFinanceKeyFile: '',
} as const satisfies BackupConfig;

export const BACKUP_CONFIG_ENV = {
  backupAt: 'NYCKEL_BACKUP_AT',
  backupIdentityDir: 'NYCKEL_BACKUP_IDENTITY_DIR',
  backupFinanceDir: 'NYCKEL_BACKUP_FINANCE_DIR',
  backupIdentityKey: BACKUP_KEY_ENV.identity.key,
  backupFinanceKey: BACKUP_KEY_ENV.finance.key,
  backupIdentityKeyFile: BACKUP_KEY_ENV.identity.keyFile,
  backupFinanceKeyFile: BACKUP_KEY_ENV.finance.keyFile,
} as const satisfies Record<keyof BackupConfig, string>;

const FIELDS = {
  identity: {
    dir: 'backupIdentityDir',
    key: 'backupIdentityKey',
    keyFile: 'backupIdentityKeyFile',
  },
  finance: { dir: 'backupFinanceDir', key: 'backupFinanceKey', keyFile: 'backupFinanceKeyFile' },
} as const satisfies Record<StoreRole, Record<'dir' | 'key' | 'keyFile', keyof BackupConfig>>;

export interface BackupConfigIssue {
  path: keyof BackupConfig;
  message: string;
}

/** Cross-field checks of the backup settings; each issue names the setting to fix. */
export function backupConfigIssues(config: BackupConfig): BackupConfigIssue[] {
  const issues: BackupConfigIssue[] = [];
  const scheduled = [config.backupAt, config.backupIdentityDir, config.backupFinanceDir].some(
    (value) => value !== '',
  );
  if (scheduled && config.backupAt === '') {
    issues.push({
      path: 'backupAt',
      message: `backup destinations are set but no time: set ${BACKUP_CONFIG_ENV.backupAt}=HH:MM for a daily backup, or unset the NYCKEL_BACKUP_*_DIR variables`,
    });
  }
  for (const role of STORE_ROLES) {
    const fields = FIELDS[role];
    const key = config[fields.key];
    const keyFile = config[fields.keyFile];
    if (key !== '' && keyFile !== '') {
      issues.push({
        path: fields.keyFile,
        message: `set either ${BACKUP_CONFIG_ENV[fields.key]} or ${BACKUP_CONFIG_ENV[fields.keyFile]}, not both`,
      });
    }
    if (key !== '') {
      const parsed = parseBackupKey(key, 'the key');
      if (!parsed.ok) issues.push({ path: fields.key, message: parsed.error.message });
    }
    if (!scheduled) continue;
    if (config[fields.dir] === '') {
      issues.push({
        path: fields.dir,
        message: `the daily backup needs a destination for the ${role} store`,
      });
    }
    if (key === '' && keyFile === '') {
      issues.push({
        path: fields.key,
        message: `the daily backup needs a key for the ${role} store: set ${BACKUP_CONFIG_ENV[fields.key]} or ${BACKUP_CONFIG_ENV[fields.keyFile]}`,
      });
    }
  }
  if (
    config.backupIdentityDir !== '' &&
    resolve(config.backupIdentityDir) === resolve(config.backupFinanceDir)
  ) {
    issues.push({
      path: 'backupFinanceDir',
      message: 'identity and finance backups must go to different destinations',
    });
  }
  return issues;
}

/** A daily backup as the server runs it. */
export interface ScheduledBackup {
  at: { hour: number; minute: number };
  options: BackupOptions;
}

/**
 * The daily backup the configuration asks for (undefined when `NYCKEL_BACKUP_AT` is empty),
 * with its keys read and checked: called at start so a missing key file stops the server.
 */
export function scheduledBackupFrom(
  config: BackupConfig & { dataDir: string },
): Outcome<ScheduledBackup | undefined> {
  if (config.backupAt === '') return succeeded(undefined);
  const keys: Partial<Record<StoreRole, BackupKey>> = {};
  for (const role of STORE_ROLES) {
    const fields = FIELDS[role];
    const keyFile = config[fields.keyFile];
    const key =
      keyFile !== ''
        ? readBackupKeyFile(keyFile)
        : parseBackupKey(config[fields.key], BACKUP_CONFIG_ENV[fields.key]);
    if (!key.ok) return failed(key.error.code, key.error.message);
    keys[role] = key.value;
  }
  const [hour, minute] = config.backupAt.split(':').map(Number) as [number, number];
  return succeeded({
    at: { hour, minute },
    options: {
      dataDir: config.dataDir,
      targets: {
        identity: { dir: resolve(config.backupIdentityDir), key: keys.identity! },
        finance: { dir: resolve(config.backupFinanceDir), key: keys.finance! },
      },
    },
  });
}
