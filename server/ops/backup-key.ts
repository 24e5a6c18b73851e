import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { failed, succeeded, type Outcome } from './backup-outcome';
import { BACKUP_KEY_ENV, type StoreRole } from './backup-roles';

/**
 * Backup keys: 32 random bytes written as base64 (`openssl rand -base64 32`) or hex
 * (`openssl rand -hex 32`), given directly (environment) or in a key file. A key is never
 * printed or logged; only its key id (a keyed hash, useless for recovering the key) is, so
 * an operator holding several keys can tell which one a backup needs.
 */
export const BACKUP_KEY_BYTES = 32;

export interface BackupKey {
  bytes: Buffer;
  /** 16 hex characters: HMAC-SHA256(key, "nyckel:backup:key-id:v1"), truncated. */
  id: string;
}

/**
 * Hex is any even-length run of hex digits. No 32-byte key in base64 looks like that: padded
 * it ends in "=", unpadded it has 43 characters.
 */
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export const backupKeyId = (bytes: Uint8Array): string =>
  createHmac('sha256', bytes).update('nyckel:backup:key-id:v1').digest('hex').slice(0, 16);

/** Reads a key from its text form; `source` names where it came from in the error. */
export function parseBackupKey(text: string, source: string): Outcome<BackupKey> {
  const trimmed = text.trim();
  const shape = `a backup key must be ${BACKUP_KEY_BYTES} random bytes written as base64 (44 characters, e.g. from "openssl rand -base64 32") or hex (64 characters)`;
  if (trimmed === '') return failed('BAD_KEY', `${source} is empty: ${shape}`);
  const bytes = HEX.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : BASE64.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : undefined;
  if (bytes === undefined)
    return failed('BAD_KEY', `${source} is neither base64 nor hex: ${shape}`);
  if (bytes.length !== BACKUP_KEY_BYTES) {
    return failed(
      'BAD_KEY',
      `${source} holds ${bytes.length} bytes, not ${BACKUP_KEY_BYTES}: ${shape}`,
    );
  }
  return succeeded({ bytes, id: backupKeyId(bytes) });
}

export function readBackupKeyFile(file: string): Outcome<BackupKey> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return failed('BAD_KEY', `cannot read the key file ${file} (${code})`);
  }
  return parseBackupKey(text, `the key file ${file}`);
}

/**
 * The key for one store: an explicit key file (a command-line flag) wins, then the
 * `…_KEY_FILE` variable, then the `…_KEY` variable. `flag` names the option in the message.
 */
export function resolveBackupKey(
  role: StoreRole,
  sources: { keyFile?: string; env: NodeJS.ProcessEnv; flag: string },
): Outcome<BackupKey> {
  const names = BACKUP_KEY_ENV[role];
  if (sources.keyFile) return readBackupKeyFile(sources.keyFile);
  const envFile = sources.env[names.keyFile];
  if (envFile) return readBackupKeyFile(envFile);
  const envKey = sources.env[names.key];
  if (envKey) return parseBackupKey(envKey, names.key);
  return failed(
    'BAD_KEY',
    `no ${role} backup key: give ${sources.flag} FILE or set ${names.keyFile} or ${names.key}`,
  );
}
