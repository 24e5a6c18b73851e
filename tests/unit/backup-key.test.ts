import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBackupKey, resolveBackupKey } from '../../server/ops/backup-key';

const dir = mkdtempSync(join(tmpdir(), 'nyckel-backup-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup keys', () => {
  it('accepts 32 bytes as base64, base64url or hex, with surrounding whitespace', () => {
    const bytes = randomBytes(32);
    const forms = [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      `  ${bytes.toString('hex').toUpperCase()}\n`,
      `${bytes.toString('base64')}\n`,
    ];
    const parsed = forms.map((form) => parseBackupKey(form, 'key'));
    for (const result of parsed) {
      expect(result.ok && result.value.bytes.equals(bytes)).toBe(true);
    }
    const ids = new Set(parsed.map((result) => result.ok && result.value.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('accepts what `openssl rand -base64 32` and `openssl rand -hex 32` print', () => {
    for (const format of ['-base64', '-hex']) {
      const text = execFileSync('openssl', ['rand', format, '32'], { encoding: 'utf8' });
      expect(parseBackupKey(text, 'key').ok).toBe(true);
    }
  });

  it('refuses a key of the wrong length, saying how long it is and never echoing it', () => {
    for (const length of [16, 24, 31, 33, 64]) {
      const bytes = randomBytes(length);
      for (const text of [bytes.toString('base64'), bytes.toString('hex')]) {
        const result = parseBackupKey(text, 'NYCKEL_BACKUP_FINANCE_KEY');
        expect(result.ok).toBe(false);
        if (result.ok) continue;
        expect(result.error.code).toBe('BAD_KEY');
        expect(result.error.message).toMatch(/^NYCKEL_BACKUP_FINANCE_KEY holds \d+ bytes, not 32/);
        expect(result.error.message).not.toContain(text);
      }
    }
  });

  it('refuses empty keys and text that is neither base64 nor hex', () => {
    const empty = parseBackupKey('  \n', 'the key file k');
    expect(!empty.ok && empty.error.message).toMatch(/^the key file k is empty/);
    const words = parseBackupKey('correct horse battery staple', 'key');
    expect(!words.ok && words.error.message).toMatch(/neither base64 nor hex/);
    expect(!words.ok && words.error.message).not.toContain('horse');
  });

  it('takes the flag’s key file first, then the _KEY_FILE variable, then the _KEY variable', () => {
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const fileA = join(dir, 'a.key');
    const fileB = join(dir, 'b.key');
    writeFileSync(fileA, a.toString('base64'));
    writeFileSync(fileB, b.toString('hex'));
    const env = {
      NYCKEL_BACKUP_IDENTITY_KEY_FILE: fileB,
      NYCKEL_BACKUP_IDENTITY_KEY: c.toString('base64'),
    };
    const bytesOf = (result: ReturnType<typeof resolveBackupKey>) =>
      result.ok ? result.value.bytes : undefined;
    expect(bytesOf(resolveBackupKey('identity', { keyFile: fileA, env, flag: '--k' }))).toEqual(a);
    expect(bytesOf(resolveBackupKey('identity', { env, flag: '--k' }))).toEqual(b);
    const onlyKey = { NYCKEL_BACKUP_IDENTITY_KEY: c.toString('base64') };
    expect(bytesOf(resolveBackupKey('identity', { env: onlyKey, flag: '--k' }))).toEqual(c);
    // The finance store never falls back to the identity key.
    const none = resolveBackupKey('finance', { env, flag: '--finance-key-file' });
    expect(!none.ok && none.error.message).toBe(
      'no finance backup key: give --finance-key-file FILE or set NYCKEL_BACKUP_FINANCE_KEY_FILE or NYCKEL_BACKUP_FINANCE_KEY',
    );
    const missing = resolveBackupKey('finance', {
      keyFile: join(dir, 'nope.key'),
      env: {},
      flag: '--k',
    });
    expect(!missing.ok && missing.error.message).toMatch(/cannot read the key file .*\(ENOENT\)/);
  });
});
