import { basename } from 'node:path';
import type { Logger } from 'pino';
import { runBackup, type BackupReport } from './backup';
import type { ScheduledBackup } from './backup-config';
import { readManifest } from './backup-manifest';
import { failed, type Outcome } from './backup-outcome';
import { STORE_ROLES } from './backup-roles';

/**
 * The server's daily backup: the same `runBackup` as `nyckel backup`, started at a local
 * time of day, one run at a time. Failures are logged as structured events (`backup_failed`
 * with a code and a message that never contains key material) and the server keeps serving.
 * `lastGoodBackupAt()` is the time of the newest run in which both stores were backed up,
 * for the backup-age metric.
 */
export interface BackupSchedule {
  /** When the last backup of both stores succeeded, or null if none is known. */
  lastGoodBackupAt: () => Date | null;
  /** Runs a backup now, or joins the one already running (never two at once). */
  runNow: () => Promise<Outcome<BackupReport>>;
  /** Cancels the timer and waits for a running backup to finish. */
  stop: () => Promise<void>;
}

export interface DailyTime {
  hour: number;
  minute: number;
}

/** The next moment after `now` at which the local clock shows `at`. */
export function nextDailyRun(now: Date, at: DailyTime): Date {
  const next = new Date(now);
  next.setHours(at.hour, at.minute, 0, 0);
  if (next.getTime() <= now.getTime()) {
    next.setDate(next.getDate() + 1);
    next.setHours(at.hour, at.minute, 0, 0);
  }
  return next;
}

export interface Timers {
  /** Calls `run` after `ms`; answers a function that cancels it. */
  after: (ms: number, run: () => void) => () => void;
}

const realTimers: Timers = {
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    // A pending backup alone must not keep the process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface ScheduleDeps {
  at: DailyTime;
  run: () => Promise<Outcome<BackupReport>>;
  log: Pick<Logger, 'info' | 'error'>;
  now?: () => Date;
  timers?: Timers;
  /** The last good backup known at start (from the manifests). */
  lastGood?: Date | null;
}

export function startBackupSchedule(deps: ScheduleDeps): BackupSchedule {
  const now = deps.now ?? (() => new Date());
  const timers = deps.timers ?? realTimers;
  let lastGood = deps.lastGood ?? null;
  let running: Promise<Outcome<BackupReport>> | undefined;
  let cancel: (() => void) | undefined;
  let stopped = false;

  const runOnce = async (): Promise<Outcome<BackupReport>> => {
    const started = now();
    const outcome = await deps
      .run()
      .catch((error: unknown) =>
        failed<BackupReport>('IO', error instanceof Error ? error.message : String(error)),
      );
    const durationMs = now().getTime() - started.getTime();
    if (outcome.ok) {
      lastGood = outcome.value.startedAt;
      deps.log.info(
        {
          event: 'backup_completed',
          durationMs,
          stores: outcome.value.stores.map((store) => ({
            role: store.role,
            file: basename(store.file),
            size: store.entry.size,
            migrationLevel: store.entry.migrationLevel,
            kept: store.kept,
            removed: store.removed.length,
          })),
        },
        'backup completed',
      );
    } else {
      deps.log.error(
        {
          event: 'backup_failed',
          code: outcome.error.code,
          reason: outcome.error.message,
          durationMs,
        },
        'backup failed',
      );
    }
    return outcome;
  };

  const runNow = () => {
    running ??= runOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const scheduleNext = () => {
    if (stopped) return;
    const next = nextDailyRun(now(), deps.at);
    cancel = timers.after(next.getTime() - now().getTime(), () => {
      void runNow().finally(scheduleNext);
    });
  };
  scheduleNext();

  return {
    lastGoodBackupAt: () => lastGood,
    runNow,
    stop: async () => {
      stopped = true;
      cancel?.();
      await running;
    },
  };
}

/** For a server without a daily backup: no timer, no known backup. */
export const noBackupSchedule: BackupSchedule = {
  lastGoodBackupAt: () => null,
  runNow: async () => failed('CONFIG', 'no daily backup is configured (NYCKEL_BACKUP_AT)'),
  stop: async () => undefined,
};

/**
 * The newest moment at which both destinations received a backup, from their manifests:
 * the older of the two newest entries (a run backs up identity, then finance).
 */
export async function lastGoodBackupInManifests(scheduled: ScheduledBackup): Promise<Date | null> {
  const newest = await Promise.all(
    STORE_ROLES.map(async (role) => {
      const manifest = await readManifest(scheduled.options.targets[role].dir).catch(
        () => undefined,
      );
      const times = (manifest?.backups ?? []).map((entry) => new Date(entry.created).getTime());
      return times.length > 0 ? Math.max(...times) : undefined;
    }),
  );
  if (newest.some((time) => time === undefined)) return null;
  return new Date(Math.min(...(newest as number[])));
}

/** Starts the configured daily backup (or none) for the server. */
export async function startServerBackups(
  scheduled: ScheduledBackup | undefined,
  log: Pick<Logger, 'info' | 'error'>,
): Promise<BackupSchedule> {
  if (!scheduled) return noBackupSchedule;
  const lastGood = await lastGoodBackupInManifests(scheduled);
  const next = nextDailyRun(new Date(), scheduled.at);
  log.info(
    {
      event: 'backup_scheduled',
      next: next.toISOString(),
      lastGood: lastGood?.toISOString() ?? null,
    },
    'daily backup scheduled',
  );
  return startBackupSchedule({
    at: scheduled.at,
    run: () => runBackup(scheduled.options),
    log,
    lastGood,
  });
}
