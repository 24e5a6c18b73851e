/**
 * `nyckel backup`: an online, encrypted, verified backup of each store into its own
 * destination, with a manifest and retention. Per store:
 *
 * 1. lock the destination, clear temporary files a crashed run left there;
 * 2. snapshot the live database with the SQLite backup API into a temporary file (0600);
 * 3. `integrity_check` the snapshot and check its role mark;
 * 4. encrypt it (backup-format.ts) into a temporary file while hashing it, fsync, rename to
 *    `<store>-<UTC timestamp>.nyckel-backup`, fsync the directory;
 * 5. add it to `manifest.json`, apply retention, write the manifest atomically, then delete
 *    the files retention dropped (a crash in between leaves extra files, never a manifest
 *    entry without its file); remove the plaintext snapshot in every case.
 *
 * The identity store is copied first: a link in the identity copy then always points to an
 * entity that the (later) finance copy also has.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, realpath, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { encryptBackup } from './backup-format';
import {
  lockDirectory,
  removeDatabaseFiles,
  syncDirectory,
  TEMP_PREFIX,
  tempName,
} from './backup-files';
import type { BackupKey } from './backup-key';
import {
  backupFileName,
  readManifestFor,
  writeManifest,
  type ManifestEntry,
} from './backup-manifest';
import { backupFailure, outcomeOf, type Outcome } from './backup-outcome';
import { DEFAULT_RETENTION, selectRetained } from './backup-retention';
import { snapshotDatabase, verifyDatabase } from './backup-snapshot';
import type { BackupOptions, BackupTarget } from './backup-plan';
import { STORE_ROLES, type StoreRole } from './backup-roles';
import { STORE_FILES } from './backup-stores';

export type { BackupOptions, BackupTarget } from './backup-plan';

export interface StoreBackup {
  role: StoreRole;
  /** Absolute path of the new backup file. */
  file: string;
  entry: ManifestEntry;
  /** File names retention removed from the destination. */
  removed: string[];
  /** Number of backups the destination holds now. */
  kept: number;
}

export interface BackupReport {
  startedAt: Date;
  finishedAt: Date;
  stores: StoreBackup[];
}

async function sweepTemporaryFiles(dir: string): Promise<void> {
  const names = await readdir(dir);
  await Promise.all(
    names.filter((name) => name.startsWith(TEMP_PREFIX)).map((name) => rm(join(dir, name))),
  );
}

/** Encrypts `plainFile` into `dir` under `name`; answers the size and SHA-256 written. */
async function writeEncrypted(
  plainFile: string,
  dir: string,
  name: string,
  options: { key: BackupKey; role: StoreRole; created: Date; chunkBytes?: number },
): Promise<{ size: number; sha256: string }> {
  const temp = join(dir, tempName(name));
  const hash = createHash('sha256');
  let size = 0;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      for await (const chunk of encryptBackup(createReadStream(plainFile), options)) {
        hash.update(chunk);
        size += chunk.length;
        await handle.write(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, name));
    await syncDirectory(dir);
  } finally {
    await rm(temp, { force: true });
  }
  return { size, sha256: hash.digest('hex') };
}

async function backupStore(
  role: StoreRole,
  target: BackupTarget,
  options: BackupOptions,
): Promise<StoreBackup> {
  const dir = target.dir;
  const release = await lockDirectory(dir);
  const snapshot = join(dir, tempName(`${role}-snapshot.db`));
  try {
    await sweepTemporaryFiles(dir);
    const manifest = await readManifestFor(dir, role);
    const created = (options.now ?? (() => new Date()))();
    const name = backupFileName(role, created);
    if (manifest.backups.some((entry) => entry.file === name)) {
      throw backupFailure('CONFIG', `${name} already exists in ${dir}`);
    }

    await snapshotDatabase(join(options.dataDir, STORE_FILES[role]), snapshot, role);
    const { migrationLevel } = verifyDatabase(snapshot, role, `the ${role} snapshot`);
    const written = await writeEncrypted(snapshot, dir, name, {
      key: target.key,
      role,
      created,
      chunkBytes: options.chunkBytes,
    });
    await removeDatabaseFiles(snapshot);

    const entry: ManifestEntry = {
      file: name,
      role,
      created: created.toISOString(),
      ...written,
      migrationLevel,
      keyId: target.key.id,
    };
    const { keep, drop } = selectRetained(
      [...manifest.backups, entry],
      options.retention ?? DEFAULT_RETENTION,
    );
    await writeManifest(dir, { ...manifest, backups: keep });
    await Promise.all(drop.map((old) => rm(join(dir, old.file), { force: true })));
    if (drop.length > 0) await syncDirectory(dir);
    return {
      role,
      file: join(dir, name),
      entry,
      removed: drop.map((old) => old.file),
      kept: keep.length,
    };
  } finally {
    await removeDatabaseFiles(snapshot);
    await release();
  }
}

/** Creates each destination and refuses one shared by both stores or equal to the data dir. */
async function prepareDestinations(options: BackupOptions): Promise<void> {
  const real = async (dir: string) => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return realpath(dir);
  };
  const identity = await real(options.targets.identity.dir);
  const finance = await real(options.targets.finance.dir);
  if (identity === finance) {
    throw backupFailure(
      'CONFIG',
      `identity and finance backups must go to different destinations, both are ${identity}`,
    );
  }
  const dataDir = await realpath(resolve(options.dataDir)).catch(() => resolve(options.dataDir));
  if (identity === dataDir || finance === dataDir) {
    throw backupFailure('CONFIG', 'a backup destination must not be the data directory');
  }
}

export function runBackup(options: BackupOptions): Promise<Outcome<BackupReport>> {
  return outcomeOf(async () => {
    const startedAt = new Date();
    await prepareDestinations(options);
    const stores: StoreBackup[] = [];
    for (const role of STORE_ROLES) {
      stores.push(await backupStore(role, options.targets[role], options));
    }
    return { startedAt, finishedAt: new Date(), stores };
  });
}
