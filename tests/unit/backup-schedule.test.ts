import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openFinanceStore } from '../../server/finance/store';
import { openIdentityStore } from '../../server/identity/store';
import { runBackup, type BackupOptions, type BackupReport } from '../../server/ops/backup';
import { parseBackupKey, type BackupKey } from '../../server/ops/backup-key';
import { failed, type Outcome } from '../../server/ops/backup-outcome';
import {
  lastGoodBackupInManifests,
  nextDailyRun,
  startBackupSchedule,
  type Timers,
} from '../../server/ops/backup-schedule';

// Swedish local time, with its daylight-saving switches (this file runs in its own worker).
process.env.TZ = 'Europe/Stockholm';

const root = mkdtempSync(join(tmpdir(), 'nyckel-backup-schedule-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const keyText = {
  identity: randomBytes(32).toString('base64'),
  finance: randomBytes(32).toString('hex'),
};
const key = (text: string): BackupKey => {
  const parsed = parseBackupKey(text, 'key');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

const backupOptions = (dataDir: string, now?: () => Date): BackupOptions => ({
  dataDir,
  targets: {
    identity: { dir: `${dataDir}-identity`, key: key(keyText.identity) },
    finance: { dir: `${dataDir}-finance`, key: key(keyText.finance) },
  },
  now,
});

const dataDirWithStores = (name: string) => {
  const dir = join(root, name);
  openIdentityStore(dir).close();
  openFinanceStore(dir).close();
  return dir;
};

/** A pino logger whose JSON lines land in `lines`. */
const capturingLogger = () => {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines, raw };
};

/** Timers driven by the test: `fire()` runs the pending callback. */
const manualTimers = () => {
  const pending: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const timers: Timers = {
    after: (ms, run) => {
      const entry = { ms, run, cancelled: false };
      pending.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
  };
  return { timers, pending, fire: () => pending.at(-1)!.run() };
};

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

const local = (y: number, m: number, d: number, h: number, min = 0) =>
  new Date(y, m - 1, d, h, min);

describe('next daily run (server local time)', () => {
  it('is later today when the time has not passed, else tomorrow', () => {
    expect(nextDailyRun(local(2025, 3, 1, 1, 30), { hour: 2, minute: 0 })).toEqual(
      local(2025, 3, 1, 2),
    );
    expect(nextDailyRun(local(2025, 3, 1, 2, 0), { hour: 2, minute: 0 })).toEqual(
      local(2025, 3, 2, 2),
    );
    expect(nextDailyRun(local(2025, 12, 31, 23, 59), { hour: 0, minute: 15 })).toEqual(
      local(2026, 1, 1, 0, 15),
    );
  });

  it('keeps the local time of day across daylight-saving switches', () => {
    // Stockholm: 30 March 2025 has 23 hours, 26 October 2025 has 25.
    const spring = nextDailyRun(local(2025, 3, 29, 12), { hour: 4, minute: 0 });
    expect(spring.toISOString()).toBe('2025-03-30T02:00:00.000Z');
    expect(spring.getTime() - local(2025, 3, 29, 12).getTime()).toBe(15 * 3600_000);
    const autumn = nextDailyRun(local(2025, 10, 25, 12), { hour: 4, minute: 0 });
    expect(autumn.toISOString()).toBe('2025-10-26T03:00:00.000Z');
    expect(autumn.getTime() - local(2025, 10, 25, 12).getTime()).toBe(17 * 3600_000);
  });
});

describe('daily backup schedule', () => {
  it('waits until the configured time, runs once at a time, then schedules the next day', async () => {
    const { log, lines } = capturingLogger();
    const clock = { now: local(2025, 3, 1, 1, 0) };
    const { timers, pending, fire } = manualTimers();
    const gate = deferred<Outcome<BackupReport>>();
    let runs = 0;
    const schedule = startBackupSchedule({
      at: { hour: 2, minute: 30 },
      run: () => {
        runs += 1;
        return gate.promise;
      },
      log,
      now: () => clock.now,
      timers,
    });
    expect(pending.map((p) => p.ms)).toEqual([90 * 60_000]);
    expect(schedule.lastGoodBackupAt()).toBeNull();

    clock.now = local(2025, 3, 1, 2, 30);
    fire();
    const joined = schedule.runNow();
    expect(runs).toBe(1);
    const startedAt = local(2025, 3, 1, 2, 30);
    gate.resolve({ ok: true, value: { startedAt, finishedAt: startedAt, stores: [] } });
    expect((await joined).ok).toBe(true);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(1);
    expect(schedule.lastGoodBackupAt()).toEqual(startedAt);
    // The next run is tomorrow at 02:30 local time.
    expect(pending.map((p) => p.ms)).toEqual([90 * 60_000, 24 * 3600_000]);
    expect(lines.find((line) => line.event === 'backup_completed')).toBeDefined();

    await schedule.stop();
    expect(pending.at(-1)!.cancelled).toBe(true);
  });

  it('logs a failed run as a structured event without key material and keeps the last good time', async () => {
    const { log, lines, raw } = capturingLogger();
    const good = new Date('2025-02-28T01:30:00Z');
    const { timers } = manualTimers();
    // A real backup of a data directory that has no databases.
    const options = backupOptions(join(root, 'no-such-data-dir'));
    const schedule = startBackupSchedule({
      at: { hour: 2, minute: 30 },
      run: () => runBackup(options),
      log,
      timers,
      lastGood: good,
    });
    const outcome = await schedule.runNow();
    expect(!outcome.ok && outcome.error.code).toBe('IO');
    expect(schedule.lastGoodBackupAt()).toEqual(good);
    const event = lines.find((line) => line.event === 'backup_failed');
    expect(event).toMatchObject({ level: 50, code: 'IO', msg: 'backup failed' });
    expect(String(event?.reason)).toMatch(/no identity database at/);
    const everything = raw.join('');
    for (const text of Object.values(keyText)) {
      expect(everything).not.toContain(text);
      expect(everything).not.toContain(
        Buffer.from(text, text.length === 64 ? 'hex' : 'base64').toString('hex'),
      );
    }
    await schedule.stop();
  });

  it('stop() waits for a running backup', async () => {
    const { log } = capturingLogger();
    const { timers } = manualTimers();
    const gate = deferred<Outcome<BackupReport>>();
    const schedule = startBackupSchedule({
      at: { hour: 3, minute: 0 },
      run: () => gate.promise,
      log,
      timers,
    });
    const running = schedule.runNow();
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    gate.resolve(failed('IO', 'disk full'));
    await stopping;
    expect(stopped).toBe(true);
    expect((await running).ok).toBe(false);
  });

  it('knows the last good backup from the manifests after a restart', async () => {
    const dataDir = dataDirWithStores('restart');
    let now = Date.parse('2025-03-01T02:30:00Z');
    const options = backupOptions(dataDir, () => new Date(now));
    const scheduled = { at: { hour: 2, minute: 30 }, options };
    expect(await lastGoodBackupInManifests(scheduled)).toBeNull();
    expect((await runBackup(options)).ok).toBe(true);
    now += 24 * 3600_000;
    expect((await runBackup(options)).ok).toBe(true);
    expect(await lastGoodBackupInManifests(scheduled)).toEqual(new Date('2025-03-02T02:30:00Z'));
  });
});
