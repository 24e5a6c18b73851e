import Database from 'better-sqlite3';
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
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFinanceStore } from '../../server/finance/store';
import { openIdentityStore } from '../../server/identity/store';
import { runBackup, type BackupOptions } from '../../server/ops/backup';
import { encryptBackup } from '../../server/ops/backup-format';
import { parseBackupKey, type BackupKey } from '../../server/ops/backup-key';
import { MANIFEST_FILE, readManifest } from '../../server/ops/backup-manifest';
import type { StoreRole } from '../../server/ops/backup-roles';
import { restoreBackup } from '../../server/ops/restore';

/**
 * `runBackup` and `restoreBackup` on real database files (the stores opened by their own
 * modules), in process: contents survive, destinations stay apart, retention deletes what
 * it drops, and every refusal leaves the target untouched.
 */
const root = mkdtempSync(join(tmpdir(), 'nyckel-backup-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const newKey = (): BackupKey => {
  const parsed = parseBackupKey(randomBytes(32).toString('hex'), 'key');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};
const keys = { identity: newKey(), finance: newKey() };
const keyFor = (role: StoreRole) => ({ ok: true as const, value: keys[role] });

let counter = 0;
const freshDir = (name: string) => {
  counter += 1;
  const dir = join(root, `${name}-${counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A data directory with both stores and some rows in each. */
function makeDataDir(rows = 20): string {
  const dataDir = freshDir('data');
  const identity = openIdentityStore(dataDir);
  const finance = openFinanceStore(dataDir);
  const secret = identity.sqlite.prepare(
    'INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?)',
  );
  const entity = finance.sqlite.prepare(
    `INSERT INTO entity (id, capability_hash, sni3, employee_band, county, created_month, synthetic)
     VALUES (?, ?, '620', NULL, '07', '2025-03', 0)`,
  );
  for (let i = 0; i < rows; i += 1) {
    secret.run(`secret-${i}`, hex(16), 1_700_000_000 + i);
    entity.run(hex(16), hex(32));
  }
  identity.close();
  finance.close();
  return dataDir;
}

/** Every row of every table, as sorted JSON lines: equal dumps mean equal contents. */
function dump(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all() as { name: string }[];
    return tables.flatMap(({ name }) =>
      (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[])
        .map((row) => `${name} ${JSON.stringify(row)}`)
        .sort(),
    );
  } finally {
    db.close();
  }
}

const optionsFor = (dataDir: string, extra: Partial<BackupOptions> = {}): BackupOptions => ({
  dataDir,
  targets: {
    identity: { dir: freshDir('identity-backups'), key: keys.identity },
    finance: { dir: freshDir('finance-backups'), key: keys.finance },
  },
  ...extra,
});

describe('backup and restore of real stores', () => {
  let dataDir: string;
  let options: BackupOptions;
  let files: Record<StoreRole, string>;

  beforeAll(async () => {
    dataDir = makeDataDir();
    options = optionsFor(dataDir);
    const report = await runBackup(options);
    if (!report.ok) throw new Error(report.error.message);
    files = {
      identity: report.value.stores.find((s) => s.role === 'identity')!.file,
      finance: report.value.stores.find((s) => s.role === 'finance')!.file,
    };
  });

  it('writes one encrypted file and a manifest per destination, nothing else', async () => {
    for (const role of ['identity', 'finance'] as const) {
      const dir = options.targets[role].dir;
      const names = readdirSync(dir).sort();
      expect(names).toEqual([MANIFEST_FILE, files[role].slice(dir.length + 1)].sort());
      expect(names[0]).toMatch(new RegExp(`^${role}-\\d{8}T\\d{6}\\.\\d{3}Z\\.nyckel-backup$`));
      const manifest = await readManifest(dir);
      expect(manifest).toMatchObject({ role, backups: [{ role, keyId: keys[role].id }] });
      expect(manifest!.backups[0]!.size).toBe(readFileSync(files[role]).length);
      expect(manifest!.backups[0]!.migrationLevel).toBeGreaterThanOrEqual(2);
      // The encrypted file shows nothing of the database.
      expect(readFileSync(files[role]).includes(Buffer.from('SQLite format 3'))).toBe(false);
    }
  });

  it('restores both stores with exactly the rows they had', async () => {
    const target = freshDir('restored');
    for (const role of ['identity', 'finance'] as const) {
      const restored = await restoreBackup({ from: files[role], dataDir: target, keyFor });
      expect(restored).toMatchObject({ ok: true, value: { role, manifest: 'verified' } });
    }
    // Two complete database files, no log or temporary file beside them.
    expect(readdirSync(target).sort()).toEqual(['finance.db', 'identity.db']);
    for (const role of ['identity', 'finance'] as const) {
      expect(dump(join(target, `${role}.db`))).toEqual(dump(join(dataDir, `${role}.db`)));
    }
    // The restored files open as stores again.
    openIdentityStore(target).close();
    openFinanceStore(target).close();
  });

  it('refuses to overwrite a database without force, and with force replaces it and its WAL', async () => {
    const target = makeDataDir(3);
    const before = dump(join(target, 'finance.db'));
    const refused = await restoreBackup({ from: files.finance, dataDir: target, keyFor });
    expect(!refused.ok && refused.error.code).toBe('EXISTS');
    expect(dump(join(target, 'finance.db'))).toEqual(before);

    // A WAL from the old database: replayed into the restored one it would corrupt it.
    const live = openFinanceStore(target);
    live.sqlite.pragma('wal_autocheckpoint = 0');
    live.sqlite
      .prepare(`INSERT INTO entity (id, capability_hash, created_month) VALUES (?, ?, '2025-03')`)
      .run(hex(16), hex(32));
    copyFileSync(join(target, 'finance.db-wal'), join(root, 'old.wal'));
    live.sqlite.close();
    copyFileSync(join(root, 'old.wal'), join(target, 'finance.db-wal'));

    const forced = await restoreBackup({
      from: files.finance,
      dataDir: target,
      keyFor,
      force: true,
    });
    expect(forced).toMatchObject({ ok: true, value: { replaced: true } });
    expect(existsSync(join(target, 'finance.db-wal'))).toBe(false);
    expect(dump(join(target, 'finance.db'))).toEqual(dump(join(dataDir, 'finance.db')));
  });

  it('refuses a file whose checksum differs from its manifest, writing nothing', async () => {
    const dir = freshDir('tampered');
    const name = files.finance.split('/').at(-1)!;
    const bytes = readFileSync(files.finance);
    bytes[bytes.length - 100]! ^= 0x40;
    writeFileSync(join(dir, name), bytes);
    copyFileSync(join(options.targets.finance.dir, MANIFEST_FILE), join(dir, MANIFEST_FILE));
    const target = join(root, 'never-written');
    const checked = await restoreBackup({ from: join(dir, name), dataDir: target, keyFor });
    expect(!checked.ok && checked.error).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(existsSync(target)).toBe(false);
    // Without the manifest, decryption itself finds the change.
    rmSync(join(dir, MANIFEST_FILE));
    const decrypted = await restoreBackup({ from: join(dir, name), dataDir: target, keyFor });
    expect(!decrypted.ok && decrypted.error.code).toBe('TAMPERED');
    // Not even the directory it would have created is left.
    expect(existsSync(target)).toBe(false);
  });

  it('refuses the wrong key, writing nothing', async () => {
    const target = freshDir('wrong-key');
    const swapped = (role: StoreRole) => keyFor(role === 'identity' ? 'finance' : 'identity');
    const outcome = await restoreBackup({
      from: files.identity,
      dataDir: target,
      keyFor: swapped,
    });
    expect(!outcome.ok && outcome.error.code).toBe('WRONG_KEY');
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses a backup whose database belongs to the other store', async () => {
    const dir = freshDir('mislabelled');
    const file = join(dir, 'identity-20250301T020000.000Z.nyckel-backup');
    async function* plain() {
      yield readFileSync(join(dataDir, 'finance.db'));
    }
    const sealed: Buffer[] = [];
    for await (const chunk of encryptBackup(plain(), {
      key: keys.identity,
      role: 'identity',
      created: new Date(),
    })) {
      sealed.push(chunk);
    }
    writeFileSync(file, Buffer.concat(sealed));
    const target = freshDir('mislabelled-target');
    const outcome = await restoreBackup({ from: file, dataDir: target, keyFor });
    expect(!outcome.ok && outcome.error).toMatchObject({
      code: 'WRONG_STORE',
      message: 'the restored database belongs to the finance store, not the identity store',
    });
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses a database that fails integrity_check', async () => {
    const broken = join(freshDir('broken'), 'finance.db');
    copyFileSync(join(makeDataDir(400), 'finance.db'), broken);
    const bytes = readFileSync(broken);
    // Overwrite the middle of the file (table and index pages), keep the header intact.
    bytes.fill(0x5a, 8192, bytes.length - 8192);
    const dir = freshDir('broken-backup');
    const file = join(dir, 'finance-20250301T020000.000Z.nyckel-backup');
    async function* plain() {
      yield bytes;
    }
    const sealed: Buffer[] = [];
    for await (const chunk of encryptBackup(plain(), {
      key: keys.finance,
      role: 'finance',
      created: new Date(),
    })) {
      sealed.push(chunk);
    }
    writeFileSync(file, Buffer.concat(sealed));
    const target = freshDir('broken-target');
    const outcome = await restoreBackup({ from: file, dataDir: target, keyFor });
    expect(!outcome.ok && outcome.error.code).toBe('INTEGRITY');
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('backup destinations', () => {
  it('refuses one directory for both stores, and the data directory as a destination', async () => {
    const dataDir = makeDataDir(1);
    const shared = freshDir('shared');
    const same = await runBackup({
      dataDir,
      targets: {
        identity: { dir: shared, key: keys.identity },
        finance: { dir: `${shared}/./`, key: keys.finance },
      },
    });
    expect(!same.ok && same.error.code).toBe('CONFIG');
    expect(!same.ok && same.error.message).toMatch(/different destinations/);
    const intoData = await runBackup({
      dataDir,
      targets: {
        identity: { dir: dataDir, key: keys.identity },
        finance: { dir: freshDir('f'), key: keys.finance },
      },
    });
    expect(!intoData.ok && intoData.error.message).toMatch(/must not be the data directory/);
    expect(readdirSync(shared)).toEqual([]);
  });

  it('refuses a destination that holds the other store’s backups', async () => {
    const dataDir = makeDataDir(1);
    const first = optionsFor(dataDir);
    expect((await runBackup(first)).ok).toBe(true);
    const swapped = await runBackup({
      dataDir,
      targets: {
        identity: { dir: first.targets.finance.dir, key: keys.identity },
        finance: { dir: first.targets.identity.dir, key: keys.finance },
      },
    });
    expect(!swapped.ok && swapped.error).toMatchObject({ code: 'MANIFEST' });
    expect(!swapped.ok && swapped.error.message).toMatch(/holds finance backups/);
  });

  it('refuses while another live process holds the lock; takes over a dead one’s lock and temp files', async () => {
    const dataDir = makeDataDir(1);
    const options = optionsFor(dataDir);
    const lock = join(options.targets.identity.dir, '.nyckel-backup.lock');
    writeFileSync(lock, `${process.ppid}\n`);
    const busy = await runBackup(options);
    expect(!busy.ok && busy.error.code).toBe('BUSY');

    // pid 2^22 + 1 is above Linux's pid_max default: no such process.
    writeFileSync(lock, `${4_194_305}\n`);
    const leftover = join(options.targets.identity.dir, '.nyckel-tmp-identity-snapshot.db-1-x');
    writeFileSync(leftover, 'plaintext left by a crashed run');
    const taken = await runBackup(options);
    expect(taken.ok).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(leftover)).toBe(false);
  });

  it('applies 7/4/12 retention over five weeks of daily runs and deletes dropped files', async () => {
    const dataDir = makeDataDir(2);
    let now = Date.parse('2025-02-13T02:00:00Z');
    const options = optionsFor(dataDir, { now: () => new Date(now) });
    const created: string[] = [];
    for (let day = 0; day < 36; day += 1) {
      const report = await runBackup(options);
      if (!report.ok) throw new Error(report.error.message);
      created.push(new Date(now).toISOString());
      now += 24 * 60 * 60 * 1000;
    }
    // The last run is Thursday 2025-03-20: 7 days, ISO weeks 10 and 9 (Sundays 9 and 2
    // March), and the newest of February.
    const expectedDays = [
      ...['20', '19', '18', '17', '16', '15', '14', '09', '02'].map((d) => `2025-03-${d}`),
      '2025-02-28',
    ];
    const expected = expectedDays.map((day) => `${day}T02:00:00.000Z`);
    expect(created).toHaveLength(36);
    for (const role of ['identity', 'finance'] as const) {
      const dir = options.targets[role].dir;
      const manifest = await readManifest(dir);
      expect(manifest!.backups.map((b) => b.created)).toEqual(expected);
      const onDisk = readdirSync(dir).filter((name) => name !== MANIFEST_FILE);
      expect(onDisk.sort()).toEqual(manifest!.backups.map((b) => b.file).sort());
    }
  }, 60_000);
});
