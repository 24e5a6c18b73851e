import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFinanceStore } from '../../server/finance/store';
import { snapshotDatabase, verifyDatabase } from '../../server/ops/backup-snapshot';

/**
 * The online snapshot: copied in steps while nobody writes; under steady writes from
 * another connection it restarts a bounded number of times, then finishes in one step, and
 * what it holds is one consistent committed state.
 */
const root = mkdtempSync(join(tmpdir(), 'nyckel-backup-snapshot-'));
const source = join(root, 'finance.db');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  const store = openFinanceStore(root);
  store.sqlite.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, b BLOB NOT NULL)');
  store.sqlite.exec('CREATE TABLE writes (seq INTEGER PRIMARY KEY)');
  const insert = store.sqlite.prepare('INSERT INTO filler (b) VALUES (?)');
  // About 12 MiB: several 8 MiB steps.
  store.sqlite.transaction(() => {
    for (let i = 0; i < 12_000; i += 1) insert.run(randomBytes(1000));
  })();
  store.close();
});

const rowsIn = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as { seq: number }[];
  } finally {
    db.close();
  }
};

describe('online snapshot', () => {
  it('copies a quiet database in steps without restarting', async () => {
    const target = join(root, 'quiet.db');
    expect(await snapshotDatabase(source, target, 'finance')).toEqual({ restarts: 0 });
    expect(statSync(target).mode & 0o077).toBe(0);
    expect(verifyDatabase(target, 'finance', 'snapshot').role).toBe('finance');
    expect(rowsIn(target, 'SELECT count(*) AS seq FROM filler')).toEqual([{ seq: 12_000 }]);
  });

  it('under steady writes restarts three times, then finishes with a consistent state', async () => {
    const writer = new Database(source);
    writer.pragma('busy_timeout = 5000');
    const write = writer.prepare('INSERT INTO writes (seq) VALUES (?)');
    let seq = 0;
    let writing = true;
    const writeLoop = () => {
      if (!writing) return;
      seq += 1;
      write.run(seq);
      setImmediate(writeLoop);
    };
    for (let i = 0; i < 5; i += 1) write.run((seq += 1));
    const committedBefore = seq;
    setImmediate(writeLoop);
    const target = join(root, 'busy.db');
    const result = await snapshotDatabase(source, target, 'finance');
    writing = false;
    const committedAfter = seq;
    writer.close();

    expect(result.restarts).toBe(3);
    expect(verifyDatabase(target, 'finance', 'snapshot').role).toBe('finance');
    const copied = rowsIn(target, 'SELECT seq FROM writes ORDER BY seq').map((row) => row.seq);
    // Every write committed before the snapshot began is in it, and what it holds is a
    // prefix of the write sequence: one committed state, no torn mix.
    expect(copied.length).toBeGreaterThanOrEqual(committedBefore);
    expect(copied.length).toBeLessThanOrEqual(committedAfter);
    expect(copied).toEqual(Array.from({ length: copied.length }, (_, i) => i + 1));
  });
});
