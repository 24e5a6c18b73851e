/**
 * Errors of the backup and restore commands as values. Inside the streaming code a failure
 * is thrown as a `BackupFailure` (it has to cross async generators); every public function
 * catches it at its boundary and answers with an `Outcome`.
 */
export type BackupErrorCode =
  /** A key that is not 32 bytes of base64 or hex, or a key that cannot be found. */
  | 'BAD_KEY'
  /** The backup was encrypted under another key. */
  | 'WRONG_KEY'
  /** The file is no Nyckel backup, or a version this program does not read. */
  | 'NOT_A_BACKUP'
  /** Authentication failed: the file was damaged or altered. */
  | 'TAMPERED'
  /** The file does not match the SHA-256 its manifest lists. */
  | 'CHECKSUM_MISMATCH'
  /** A database of the other store (identity vs finance), or without a role mark. */
  | 'WRONG_STORE'
  /** SQLite's integrity_check did not answer "ok". */
  | 'INTEGRITY'
  /** The restore target exists and --force was not given. */
  | 'EXISTS'
  /** Destinations or options that cannot work (same directory for both stores, …). */
  | 'CONFIG'
  /** Another backup is writing to the same destination. */
  | 'BUSY'
  /** manifest.json is unreadable or belongs to the other store. */
  | 'MANIFEST'
  /** The file system or SQLite failed. */
  | 'IO';

export interface BackupError {
  code: BackupErrorCode;
  /** One line for the operator; never contains key material. */
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: BackupError };

export type BackupFailure = Error & { backupError: BackupError };

export const backupFailure = (code: BackupErrorCode, message: string): BackupFailure =>
  Object.assign(new Error(message), { backupError: { code, message } });

const isBackupFailure = (error: unknown): error is BackupFailure =>
  error instanceof Error && typeof (error as Partial<BackupFailure>).backupError === 'object';

export const succeeded = <T>(value: T): Outcome<T> => ({ ok: true, value });

export const failed = <T>(code: BackupErrorCode, message: string): Outcome<T> => ({
  ok: false,
  error: { code, message },
});

/** Runs `work` and turns any failure into an `Outcome`; unexpected errors become `IO`. */
export async function outcomeOf<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return succeeded(await work());
  } catch (error) {
    if (isBackupFailure(error)) return { ok: false, error: error.backupError };
    return failed('IO', error instanceof Error ? error.message : String(error));
  }
}

/** The value of an `Outcome`, or a thrown `BackupFailure` (for use inside `outcomeOf`). */
export function valueOf<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw backupFailure(outcome.error.code, outcome.error.message);
}
