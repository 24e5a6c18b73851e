import type { BackupKey } from './backup-key';
import type { RetentionPolicy } from './backup-retention';
import type { StoreRole } from './backup-roles';

/** What one backup run needs: where the data is, and per store a destination and a key. */
export interface BackupTarget {
  /** The destination directory (created if missing), used by this store only. */
  dir: string;
  key: BackupKey;
}

export interface BackupOptions {
  dataDir: string;
  targets: Record<StoreRole, BackupTarget>;
  now?: () => Date;
  retention?: RetentionPolicy;
  chunkBytes?: number;
}
