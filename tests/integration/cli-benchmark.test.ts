import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_IDS } from '../../domain/ratios';
import { mailbox } from '../helpers/identity-http';
import { runNyckel } from '../helpers/cli';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/**
 * `nyckel benchmark` against a real server with a small demo population: give-to-get, the
 * JSON contract of the issue (per figure id, group, n, released quantiles, value, index; the
 * overall index), the level control and usage errors.
 */
const corpus = join(repoRoot, '../shared/sie-corpus');
let server: TestServer;
let mail: ReturnType<typeof mailbox>;

beforeAll(async () => {
  server = await startTestServer({
    env: { NYCKEL_DEMO: 'on', NYCKEL_DEMO_ENTITIES: '3000', NYCKEL_STATS_REFRESH_MS: '0' },
  });
  mail = mailbox(server.dataDir);
}, 120_000);
afterAll(async () => {
  await server.dispose();
});

const nyckel = (args: string[], env: Record<string, string>) =>
  runNyckel(args, { NYCKEL_SERVER: server.url, ...env });

interface Figure {
  id: string;
  group: { level: string; sni: string | null; year: number } | null;
  n: number | null;
  p10?: number;
  p25?: number;
  p50?: number;
  p75?: number;
  p90?: number;
  value: number | null;
  rank: number | null;
  index: number | null;
}
interface Answer {
  format: string;
  year: number;
  demo: boolean;
  overallIndex: number | null;
  figures: Figure[];
}

describe('CLI: benchmark', () => {
  it('is refused before an upload, then compares every figure with demo peers', async () => {
    const env = {
      NYCKEL_EMAIL: `jamfor-${crypto.randomUUID().slice(0, 6)}@example.se`,
      NYCKEL_PASSWORD: 'den som jämför sig i terminalen har ett långt lösenord',
    };
    expect((await nyckel(['account', 'register'], env)).code).toBe(0);
    const token = (await mail.next(env.NYCKEL_EMAIL, 'verify')).token!;
    expect((await nyckel(['account', 'verify', '--token', token], {})).code).toBe(0);
    const create = ['org', 'create', '--kind', 'company', '--name', 'Jämför AB'];
    expect((await nyckel([...create, '--orgnr', '556677-8899'], env)).code).toBe(0);
    const profile = ['org', 'profile', '--sni', '62010', '--county', '07', '--employees', '12'];
    expect((await nyckel(profile, env)).code).toBe(0);

    // Give-to-get: nothing before the first upload.
    const early = await nyckel(['benchmark', '--json'], env);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(/at least one fiscal year/);

    expect((await nyckel(['upload', join(corpus, 'Sie4.se'), '--employees', '12'], env)).code).toBe(
      0,
    );
    const run = await nyckel(['benchmark', '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as Answer;
    expect(answer.format).toBe('nyckel.benchmark/1');
    expect(answer.year).toBe(2014);
    expect(answer.demo).toBe(true);
    expect(answer.figures.map((f) => f.id)).toEqual([...METRIC_IDS]);
    expect(answer.overallIndex).toBeGreaterThanOrEqual(0);
    expect(answer.overallIndex).toBeLessThanOrEqual(100);

    const compared = answer.figures.filter((f) => f.group !== null && f.value !== null);
    expect(compared.length).toBeGreaterThan(10);
    for (const figure of compared) {
      expect(figure.group!.year).toBe(2014);
      expect(figure.n).toBeGreaterThanOrEqual(10);
      expect(figure.p25).toBeLessThanOrEqual(figure.p50!);
      expect(figure.p50).toBeLessThanOrEqual(figure.p75!);
      // Deciles only from 20 companies; never a min or max.
      if (figure.n! < 20) expect(figure.p10).toBeUndefined();
      expect(Object.keys(figure)).not.toContain('min');
      expect(figure.index).toBeGreaterThanOrEqual(0);
      expect(figure.index).toBeLessThanOrEqual(100);
    }
    // The overall index is the rounded mean of the item indices.
    const indices = answer.figures.flatMap((f) => (f.index === null ? [] : [f.index]));
    expect(answer.overallIndex).toBe(
      Math.round(indices.reduce((sum, i) => sum + i, 0) / indices.length),
    );
    // Growth needs a previous year, which Sie4.se does not have: absent, not 0.
    expect(answer.figures.find((f) => f.id === 'growth')!.value).toBeNull();

    // Widening to all companies: every group used is the 'all' level.
    const all = JSON.parse(
      (await nyckel(['benchmark', '--json', '--level', 'all'], env)).stdout,
    ) as Answer;
    const groups = all.figures.flatMap((f) => (f.group ? [f.group] : []));
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((g) => g.level === 'all' && g.sni === null)).toBe(true);

    // The human-readable form names the figures and the peer group.
    const text = await nyckel(['benchmark'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/overall index \d+ \/ 100/);
    expect(text.stdout).toMatch(/Equity ratio/i);
    expect(text.stdout).toMatch(/companies/);

    // Usage errors and a year the company has not uploaded.
    expect((await nyckel(['benchmark', '--level', 'county'], env)).code).toBe(1);
    expect((await nyckel(['benchmark', '--year', '14'], env)).code).toBe(1);
    const missing = await nyckel(['benchmark', '--year', '1999'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no uploaded fiscal year/);
    // Fourteen CLI runs, each a fresh Node process with its own Argon2id login.
  }, 240_000);
});
