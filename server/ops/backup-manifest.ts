import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './backup-files';
import { backupFailure } from './backup-outcome';
import { STORE_ROLES, type StoreRole } from './backup-roles';

/**
 * `manifest.json` in each backup destination: what is there, for which store, and the
 * SHA-256 of each encrypted file, so a restore can tell a damaged copy before decrypting and
 * an operator can check a copy with `sha256sum`. Written atomically after every backup.
 */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'nyckel.backup-manifest/1';
/** `<store>-<UTC timestamp>.nyckel-backup`, e.g. `finance-20250301T020000.123Z.nyckel-backup`. */
export const BACKUP_FILE_PATTERN = /^(identity|finance)-\d{8}T\d{6}\.\d{3}Z\.nyckel-backup$/;

const entrySchema = z.strictObject({
  file: z.string().regex(BACKUP_FILE_PATTERN),
  role: z.enum(STORE_ROLES),
  created: z.iso.datetime(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Number of migrations applied to the database when it was backed up. */
  migrationLevel: z.number().int().min(0),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
});

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  role: z.enum(STORE_ROLES),
  backups: z.array(entrySchema),
});

export type ManifestEntry = z.infer<typeof entrySchema>;
export type Manifest = z.infer<typeof manifestSchema>;

/** `YYYYMMDDTHHMMSS.mmmZ` of a UTC instant, for file names that sort by time. */
export const fileStamp = (at: Date) => at.toISOString().replace(/[-:]/g, '');

export const backupFileName = (role: StoreRole, created: Date) =>
  `${role}-${fileStamp(created)}.nyckel-backup`;

/**
 * The manifest of a directory, `undefined` if it has none. A manifest that cannot be read
 * or names another store is an error: the directory is not what the operator thinks.
 */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw backupFailure('MANIFEST', `${path} is not valid JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw backupFailure('MANIFEST', `${path} is not a Nyckel backup manifest`);
  return parsed.data;
}

/** The manifest of a destination that must belong to `role` (empty if it is new). */
export async function readManifestFor(dir: string, role: StoreRole): Promise<Manifest> {
  const manifest = await readManifest(dir);
  if (manifest && manifest.role !== role) {
    throw backupFailure(
      'MANIFEST',
      `${dir} holds ${manifest.role} backups; the ${role} store needs its own destination`,
    );
  }
  return manifest ?? { format: MANIFEST_FORMAT, role, backups: [] };
}

export const writeManifest = (dir: string, manifest: Manifest) =>
  writeFileAtomic(
    dir,
    MANIFEST_FILE,
    `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`,
  );
