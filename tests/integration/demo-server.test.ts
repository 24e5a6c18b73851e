import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestServer } from '../helpers/server';

const DEMO_ENTITIES = 120;
const DEMO_ON = { NYCKEL_DEMO: 'on', NYCKEL_DEMO_ENTITIES: String(DEMO_ENTITIES) };

const dataDirs: string[] = [];
const freshDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'nyckel-demo-server-'));
  dataDirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

const financeSummary = z.object({
  entities: z.int(),
  synthetic: z.int(),
  withThreeYears: z.int(),
  years: z.int(),
});

/** What finance.db holds, read after the server has stopped (and closed it). */
function readFinance(dataDir: string): z.infer<typeof financeSummary> {
  const db = new Database(join(dataDir, 'finance.db'), { readonly: true });
  try {
    return financeSummary.parse(
      db
        .prepare(
          `SELECT
             (SELECT count(*) FROM entity) AS entities,
             (SELECT count(*) FROM entity WHERE synthetic = 1) AS synthetic,
             (SELECT count(*) FROM (SELECT entity_id FROM year_summary
                GROUP BY entity_id HAVING count(*) = 3)) AS withThreeYears,
             (SELECT count(*) FROM year_summary) AS years`,
        )
        .get(),
    );
  } finally {
    db.close();
  }
}

/** The JSON log lines of a server's output. */
const logLines = (output: string): Record<string, unknown>[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => z.record(z.string(), z.unknown()).parse(JSON.parse(line)));

describe('the demo population at server start', () => {
  it('is loaded into an empty store before the server listens, and only once', async () => {
    const dataDir = freshDataDir();
    const first = await startTestServer({ dataDir, env: DEMO_ON });
    const firstOutput = first.output();
    const firstLog = logLines(firstOutput);
    await first.stop();

    // Loaded before the server announced its address, i.e. before it accepted a request.
    expect(firstOutput.indexOf('"demo population loaded"')).toBeGreaterThanOrEqual(0);
    expect(firstOutput.indexOf('"demo population loaded"')).toBeLessThan(
      firstOutput.indexOf('Nyckel is running at'),
    );
    const loaded = firstLog.findIndex((line) => line.msg === 'demo population loaded');
    // One line with the count and the time, nothing about any entity.
    expect(Object.keys(firstLog[loaded] ?? {}).sort()).toEqual(
      ['demoEntities', 'level', 'ms', 'msg', 'service', 'time'].sort(),
    );
    expect(firstLog[loaded]).toMatchObject({ demoEntities: DEMO_ENTITIES });
    expect(readFinance(dataDir)).toEqual({
      entities: DEMO_ENTITIES,
      synthetic: DEMO_ENTITIES,
      withThreeYears: DEMO_ENTITIES,
      years: 3 * DEMO_ENTITIES,
    });

    const second = await startTestServer({ dataDir, env: DEMO_ON });
    const secondLog = logLines(second.output());
    await second.stop();
    expect(secondLog.some((line) => line.msg === 'demo population loaded')).toBe(false);
    expect(readFinance(dataDir).entities).toBe(DEMO_ENTITIES);
  });

  it('`nyckel server --no-demo` loads nothing, even with NYCKEL_DEMO=on', async () => {
    const dataDir = freshDataDir();
    const server = await startTestServer({ dataDir, env: DEMO_ON, args: ['--no-demo'] });
    const log = logLines(server.output());
    await server.stop();
    expect(log.some((line) => line.msg === 'demo population loaded')).toBe(false);
    expect(readFinance(dataDir).entities).toBe(0);
  });

  it('test servers start without the demo unless a test asks for it', async () => {
    const dataDir = freshDataDir();
    const server = await startTestServer({ dataDir });
    await server.stop();
    expect(readFinance(dataDir).entities).toBe(0);
  });
});
