import { createReadStream, existsSync } from 'node:fs';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { decryptBackup, parseBackupHeader, type BackupHeader } from './backup-format';
import { removeDatabaseFiles, sha256OfFile, syncDirectory, tempName } from './backup-files';
import type { BackupKey } from './backup-key';
import { readManifest } from './backup-manifest';
import { backupFailure, outcomeOf, valueOf, type Outcome } from './backup-outcome';
import { verifyDatabase } from './backup-snapshot';
import type { StoreRole } from './backup-roles';
import { STORE_FILES } from './backup-stores';

/**
 * `nyckel restore`: the way back from a backup file to a data directory.
 *
 * 1. If a `manifest.json` sits beside the file and lists it, the file's SHA-256 must match.
 * 2. The file is decrypted and authenticated chunk by chunk into a temporary file (0600) in
 *    the data directory; a wrong key or any altered byte stops it.
 * 3. The decrypted database must pass `integrity_check` and carry the role mark of the store
 *    the backup header names.
 * 4. Only then does it become `identity.db` or `finance.db`: without `force` through
 *    link(2), which fails if the file exists (no check-then-write race); with `force` the
 *    old database's -wal and -shm are removed first (SQLite would otherwise replay the old
 *    log into the restored file) and the new file is renamed over it.
 *
 * Whatever fails, the temporary file is removed: nothing is written.
 */
export interface RestoreOptions {
  from: string;
  dataDir: string;
  /** The key for the store the backup header names (identity or finance). */
  keyFor: (role: StoreRole) => Outcome<BackupKey>;
  force?: boolean;
}

export type ManifestCheck = 'verified' | 'no-manifest' | 'not-listed';

export interface RestoreReport {
  role: StoreRole;
  /** The database file written. */
  file: string;
  created: string;
  migrationLevel: number;
  manifest: ManifestCheck;
  replaced: boolean;
}

/** Reads only the header of a backup file (for the role, before a key is chosen). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  let seen = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 4096 })) {
    seen = Buffer.concat([seen, chunk as Buffer]);
    const found = parseBackupHeader(seen);
    if (found) return found.header;
  }
  throw backupFailure('NOT_A_BACKUP', `not a Nyckel backup: ${file} is too short`);
}

async function checkManifest(file: string, header: BackupHeader): Promise<ManifestCheck> {
  const manifest = await readManifest(dirname(file)).catch(() => {
    throw backupFailure(
      'MANIFEST',
      `the manifest.json beside ${basename(file)} is damaged; move the backup file elsewhere to restore it without the manifest check`,
    );
  });
  if (!manifest) return 'no-manifest';
  const entry = manifest.backups.find((candidate) => candidate.file === basename(file));
  if (!entry) return 'not-listed';
  if (entry.role !== header.role) {
    throw backupFailure(
      'CHECKSUM_MISMATCH',
      `${basename(file)} is listed as a ${entry.role} backup but its header says ${header.role}`,
    );
  }
  const actual = await sha256OfFile(file);
  if (actual !== entry.sha256) {
    throw backupFailure(
      'CHECKSUM_MISMATCH',
      `${basename(file)} does not match the SHA-256 in manifest.json: the file is damaged or has been altered`,
    );
  }
  return 'verified';
}

async function decryptInto(from: string, temp: string, key: BackupKey): Promise<void> {
  const handle = await open(temp, 'wx', 0o600);
  try {
    for await (const plain of decryptBackup(createReadStream(from), { key })) {
      await handle.write(plain);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function restoreBackup(options: RestoreOptions): Promise<Outcome<RestoreReport>> {
  return outcomeOf(async () => {
    const from = resolve(options.from);
    if (!existsSync(from)) throw backupFailure('IO', `no backup file at ${from}`);
    const header = await readBackupHeader(from);
    const manifest = await checkManifest(from, header);
    const key = valueOf(options.keyFor(header.role));

    const dataDir = resolve(options.dataDir);
    const target = join(dataDir, STORE_FILES[header.role]);
    const replaced = existsSync(target);
    if (replaced && !options.force) {
      throw backupFailure(
        'EXISTS',
        `${target} exists; stop the server and pass --force to replace it, or restore into an empty data directory`,
      );
    }
    // A directory this restore creates is removed again if the restore fails.
    const createdDir = await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const temp = join(dataDir, tempName(`restore-${header.role}.db`));
    let restored = false;
    try {
      await decryptInto(from, temp, key);
      const { migrationLevel } = verifyDatabase(temp, header.role, 'the restored database');
      if (options.force) {
        await rm(`${target}-wal`, { force: true });
        await rm(`${target}-shm`, { force: true });
        await rename(temp, target);
      } else {
        await link(temp, target).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
          throw backupFailure('EXISTS', `${target} appeared while restoring; nothing replaced`);
        });
      }
      await syncDirectory(dataDir);
      restored = true;
      return {
        role: header.role,
        file: target,
        created: header.created,
        migrationLevel,
        manifest,
        replaced,
      };
    } finally {
      await removeDatabaseFiles(temp);
      if (!restored && createdDir) await rm(createdDir, { recursive: true, force: true });
    }
  });
}
