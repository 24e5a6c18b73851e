import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backupFailure } from './backup-outcome';

/**
 * File-system steps shared by backup and restore. "Atomic" here means: the bytes go to a
 * temporary file in the same directory, are fsynced, renamed over the final name, and the
 * directory is fsynced, so after a crash either the old or the complete new file exists.
 */

/** Prefix of every temporary file the backup and restore commands create. */
export const TEMP_PREFIX = '.nyckel-tmp-';

export const tempName = (purpose: string) =>
  `${TEMP_PREFIX}${purpose}-${process.pid}-${Date.now().toString(36)}`;

/** Makes a rename or unlink in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `content` to `file` atomically (temp + fsync + rename + fsync of the directory). */
export async function writeFileAtomic(dir: string, name: string, content: string): Promise<void> {
  const temp = join(dir, tempName(name));
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, name));
    await syncDirectory(dir);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Lowercase hex SHA-256 of a file, read as a stream. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Removes a SQLite database file together with its -wal and -shm companions. */
export async function removeDatabaseFiles(file: string): Promise<void> {
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true })));
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the destination's lock file so two backups (the server's schedule and a manual
 * `nyckel backup`) never write to one directory at the same time. A lock left by a process
 * that no longer runs is taken over. Resolves to the function that releases the lock.
 */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const lock = join(dir, '.nyckel-backup.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw backupFailure(
          'BUSY',
          `another backup (process ${holder}) is writing to ${dir}; try again when it is done`,
        );
      }
      await rm(lock, { force: true });
    }
  }
  throw backupFailure('BUSY', `could not lock ${dir}`);
}
