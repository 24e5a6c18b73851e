import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { scheduledBackupFrom } from '../../server/ops/backup-config';

/** The daily-backup settings in the server configuration: all or nothing, checked at start. */
const dir = mkdtempSync(join(tmpdir(), 'nyckel-backup-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const identityKey = randomBytes(32).toString('base64');
const financeKey = randomBytes(32).toString('hex');
const complete = {
  NYCKEL_BACKUP_AT: '02:30',
  NYCKEL_BACKUP_IDENTITY_DIR: join(dir, 'identity'),
  NYCKEL_BACKUP_FINANCE_DIR: join(dir, 'finance'),
  NYCKEL_BACKUP_IDENTITY_KEY: identityKey,
  NYCKEL_BACKUP_FINANCE_KEY: financeKey,
};

const errorsOf = (env: NodeJS.ProcessEnv) => {
  const loaded = loadConfig(env);
  return loaded.ok ? [] : loaded.errors;
};

describe('backup configuration', () => {
  it('is off by default and on when time, both destinations and both keys are set', () => {
    const off = loadConfig({});
    expect(off.ok && off.config.backupAt).toBe('');
    expect(off.ok && scheduledBackupFrom(off.config)).toEqual({ ok: true, value: undefined });

    const on = loadConfig(complete);
    expect(on.ok).toBe(true);
    if (!on.ok) return;
    const scheduled = scheduledBackupFrom(on.config);
    expect(scheduled.ok && scheduled.value?.at).toEqual({ hour: 2, minute: 30 });
    expect(scheduled.ok && scheduled.value?.options.targets.identity.key.bytes).toEqual(
      Buffer.from(identityKey, 'base64'),
    );
    expect(scheduled.ok && scheduled.value?.options.targets.finance.key.bytes).toEqual(
      Buffer.from(financeKey, 'hex'),
    );
  });

  it('refuses half a configuration, naming each missing variable', () => {
    const { NYCKEL_BACKUP_FINANCE_DIR: _dir, NYCKEL_BACKUP_IDENTITY_KEY: _key, ...half } = complete;
    const errors = errorsOf(half);
    expect(errors).toEqual([
      'NYCKEL_BACKUP_IDENTITY_KEY: the daily backup needs a key for the identity store: set NYCKEL_BACKUP_IDENTITY_KEY or NYCKEL_BACKUP_IDENTITY_KEY_FILE',
      'NYCKEL_BACKUP_FINANCE_DIR: the daily backup needs a destination for the finance store',
    ]);
    const { NYCKEL_BACKUP_AT: _at, ...noTime } = complete;
    expect(errorsOf(noTime)).toEqual([
      'NYCKEL_BACKUP_AT: backup destinations are set but no time: set NYCKEL_BACKUP_AT=HH:MM for a daily backup, or unset the NYCKEL_BACKUP_*_DIR variables',
    ]);
    expect(errorsOf({ NYCKEL_BACKUP_AT: '03:00' })).toHaveLength(4);
  });

  it('keys alone configure nothing: they also serve `nyckel backup` by hand', () => {
    const loaded = loadConfig({
      NYCKEL_BACKUP_IDENTITY_KEY: identityKey,
      NYCKEL_BACKUP_FINANCE_KEY: financeKey,
    });
    expect(loaded.ok && scheduledBackupFrom(loaded.config)).toEqual({ ok: true, value: undefined });
  });

  it('refuses bad times, one directory for both, short keys and two sources for a key', () => {
    expect(errorsOf({ ...complete, NYCKEL_BACKUP_AT: '24:00' })[0]).toMatch(
      /^NYCKEL_BACKUP_AT: must be HH:MM/,
    );
    expect(errorsOf({ ...complete, NYCKEL_BACKUP_AT: '2:30' })[0]).toMatch(/^NYCKEL_BACKUP_AT:/);
    expect(
      errorsOf({
        ...complete,
        NYCKEL_BACKUP_FINANCE_DIR: `${complete.NYCKEL_BACKUP_IDENTITY_DIR}/`,
      }),
    ).toEqual([
      'NYCKEL_BACKUP_FINANCE_DIR: identity and finance backups must go to different destinations',
    ]);
    const short = randomBytes(16).toString('base64');
    const shortErrors = errorsOf({ ...complete, NYCKEL_BACKUP_FINANCE_KEY: short });
    expect(shortErrors).toHaveLength(1);
    expect(shortErrors[0]).toMatch(/^NYCKEL_BACKUP_FINANCE_KEY: the key holds 16 bytes, not 32/);
    expect(shortErrors[0]).not.toContain(short);
    expect(
      errorsOf({ ...complete, NYCKEL_BACKUP_FINANCE_KEY_FILE: join(dir, 'finance.key') }),
    ).toEqual([
      'NYCKEL_BACKUP_FINANCE_KEY_FILE: set either NYCKEL_BACKUP_FINANCE_KEY or NYCKEL_BACKUP_FINANCE_KEY_FILE, not both',
    ]);
  });

  it('reads key files at start: a missing or malformed file stops the server', () => {
    const file = join(dir, 'identity.key');
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const { NYCKEL_BACKUP_IDENTITY_KEY: _key, ...rest } = complete;
    const withFile = loadConfig({ ...rest, NYCKEL_BACKUP_IDENTITY_KEY_FILE: file });
    expect(withFile.ok && scheduledBackupFrom(withFile.config).ok).toBe(true);

    const missing = loadConfig({ ...rest, NYCKEL_BACKUP_IDENTITY_KEY_FILE: join(dir, 'gone') });
    const outcome = missing.ok ? scheduledBackupFrom(missing.config) : undefined;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'BAD_KEY' } });
    writeFileSync(file, randomBytes(31).toString('hex'));
    const malformed = loadConfig({ ...rest, NYCKEL_BACKUP_IDENTITY_KEY_FILE: file });
    const refused = malformed.ok ? scheduledBackupFrom(malformed.config) : undefined;
    expect(refused?.ok === false && refused.error.message).toMatch(/holds 31 bytes, not 32/);
  });
});
