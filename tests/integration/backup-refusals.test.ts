import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFinanceStore } from '../../server/finance/store';
import { openIdentityStore } from '../../server/identity/store';
import { runNyckel } from '../helpers/cli';
import { startTestServer } from '../helpers/server';

/**
 * What `nyckel backup` and `nyckel restore` refuse, as an operator sees it: a one-line
 * message on stderr, exit code 2 for a refused backup file (1 for a refused operation), no
 * key in any output, and nothing written to the target directory.
 */
const work = mkdtempSync(join(tmpdir(), 'nyckel-backup-refusals-'));
const dataDir = join(work, 'data');
const backups = {
  identity: join(work, 'identity-backups'),
  finance: join(work, 'finance-backups'),
};
const keys = {
  identity: randomBytes(32).toString('base64'),
  finance: randomBytes(32).toString('base64'),
};
const keyFiles = { identity: join(work, 'identity.key'), finance: join(work, 'finance.key') };
const files = { identity: '', finance: '' };

beforeAll(async () => {
  openIdentityStore(dataDir).close();
  openFinanceStore(dataDir).close();
  writeFileSync(keyFiles.identity, keys.identity, { mode: 0o600 });
  writeFileSync(keyFiles.finance, keys.finance, { mode: 0o600 });
  const run = await runNyckel([
    'backup',
    '--data',
    dataDir,
    '--identity-to',
    backups.identity,
    '--finance-to',
    backups.finance,
    '--identity-key-file',
    keyFiles.identity,
    '--finance-key-file',
    keyFiles.finance,
  ]);
  if (run.code !== 0) throw new Error(`backup failed: ${run.stderr}`);
  for (const role of ['identity', 'finance'] as const) {
    const name = readdirSync(backups[role]).find((f) => f.endsWith('.nyckel-backup'))!;
    files[role] = join(backups[role], name);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const target = (name: string) => join(work, `target-${name}`);
const writtenIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe('refusals', () => {
  it('refuses a wrong key, a damaged file (with and without its manifest) and an existing database', async () => {
    const damagedDir = join(work, 'damaged');
    const loneDir = join(work, 'damaged-alone');
    mkdirSync(damagedDir);
    mkdirSync(loneDir);
    const damaged = readFileSync(files.finance);
    damaged[Math.floor(damaged.length / 2)]! ^= 0x10;
    const name = basename(files.finance);
    writeFileSync(join(damagedDir, name), damaged);
    copyFileSync(join(backups.finance, 'manifest.json'), join(damagedDir, 'manifest.json'));
    writeFileSync(join(loneDir, name), damaged);
    mkdirSync(target('existing'));
    writeFileSync(join(target('existing'), 'finance.db'), 'the database in use');

    const [wrongKey, withManifest, alone, existing] = await Promise.all([
      runNyckel([
        'restore',
        '--from',
        files.identity,
        '--to',
        target('wrong-key'),
        '--key-file',
        keyFiles.finance,
      ]),
      runNyckel(['restore', '--from', join(damagedDir, name), '--to', target('damaged')], {
        NYCKEL_BACKUP_FINANCE_KEY: keys.finance,
      }),
      runNyckel(['restore', '--from', join(loneDir, name), '--to', target('alone')], {
        NYCKEL_BACKUP_FINANCE_KEY_FILE: keyFiles.finance,
      }),
      runNyckel([
        'restore',
        '--from',
        files.finance,
        '--to',
        target('existing'),
        '--key-file',
        keyFiles.finance,
      ]),
    ]);

    expect(wrongKey).toMatchObject({ code: 2, stdout: '' });
    expect(wrongKey.stderr).toMatch(
      /^nyckel: restore refused: wrong key: this identity backup was encrypted with key id [0-9a-f]{16}, the key given has key id [0-9a-f]{16}\n$/,
    );
    expect(withManifest).toMatchObject({ code: 2, stdout: '' });
    expect(withManifest.stderr).toBe(
      `nyckel: restore refused: ${name} does not match the SHA-256 in manifest.json: the file is damaged or has been altered\n`,
    );
    expect(alone).toMatchObject({ code: 2, stdout: '' });
    expect(alone.stderr).toMatch(
      /^nyckel: restore refused: the backup is damaged or has been altered: part \d+ failed authentication\n$/,
    );
    expect(existing.code).toBe(1);
    expect(existing.stderr).toMatch(/finance\.db exists; stop the server and pass --force/);
    expect(readFileSync(join(target('existing'), 'finance.db'), 'utf8')).toBe(
      'the database in use',
    );
    for (const dir of ['wrong-key', 'damaged', 'alone'].map(target)) {
      expect(writtenIn(dir)).toEqual([]);
    }
    for (const run of [wrongKey, withManifest, alone, existing]) {
      for (const key of Object.values(keys)) expect(run.stdout + run.stderr).not.toContain(key);
    }
  });

  it('refuses a key of the wrong length and one directory for both stores, without printing the key', async () => {
    const short = randomBytes(16).toString('base64');
    const [shortKey, sameDir] = await Promise.all([
      runNyckel(
        [
          'backup',
          '--data',
          dataDir,
          '--identity-to',
          join(work, 'i2'),
          '--finance-to',
          join(work, 'f2'),
        ],
        { NYCKEL_BACKUP_IDENTITY_KEY: short, NYCKEL_BACKUP_FINANCE_KEY: keys.finance },
      ),
      runNyckel(
        [
          'backup',
          '--data',
          dataDir,
          '--identity-to',
          join(work, 'both'),
          '--finance-to',
          join(work, 'both'),
        ],
        { NYCKEL_BACKUP_IDENTITY_KEY: keys.identity, NYCKEL_BACKUP_FINANCE_KEY: keys.finance },
      ),
    ]);
    expect(shortKey.code).toBe(1);
    expect(shortKey.stderr).toMatch(
      /^nyckel: backup refused: NYCKEL_BACKUP_IDENTITY_KEY holds 16 bytes, not 32: a backup key must be 32 random bytes/,
    );
    expect(shortKey.stderr).not.toContain(short);
    expect(writtenIn(join(work, 'i2'))).toEqual([]);
    expect(sameDir.code).toBe(1);
    expect(sameDir.stderr).toMatch(
      /identity and finance backups must go to different destinations/,
    );
    expect(writtenIn(join(work, 'both'))).toEqual([]);
  });

  it('the server refuses to start with half a daily-backup configuration or an unreadable key file', async () => {
    // Both start at once, each with its expectation attached from the start: a refusal that
    // comes first must not sit unhandled while the other one is awaited.
    await Promise.all([
      expect(
        startTestServer({
          dataDir,
          env: { NYCKEL_BACKUP_AT: '02:30', NYCKEL_BACKUP_IDENTITY_DIR: join(work, 'daily-i') },
        }),
      ).rejects.toThrow(
        /NYCKEL_BACKUP_FINANCE_DIR: the daily backup needs a destination for the finance store/,
      ),
      expect(
        startTestServer({
          dataDir,
          env: {
            NYCKEL_BACKUP_AT: '02:30',
            NYCKEL_BACKUP_IDENTITY_DIR: join(work, 'daily-i'),
            NYCKEL_BACKUP_FINANCE_DIR: join(work, 'daily-f'),
            NYCKEL_BACKUP_IDENTITY_KEY_FILE: join(work, 'no-such.key'),
            NYCKEL_BACKUP_FINANCE_KEY: keys.finance,
          },
        }),
      ).rejects.toThrow(
        /invalid backup configuration: cannot read the key file .*no-such\.key \(ENOENT\)/,
      ),
    ]);
  });
});
