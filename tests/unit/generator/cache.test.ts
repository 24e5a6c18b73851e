import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureCachedSie } from '../../../bench/cache.ts';
import {
  ensureSyntheticFile,
  ensureSyntheticFileWithSummary,
} from '../../../bench/make-e2e-file.ts';

describe('synthetic SIE cache', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nyckel-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates once, then serves the cached file', async () => {
    const options = { seed: 11, transactions: 500 };
    const first = await ensureCachedSie(options, dir);
    const second = await ensureCachedSie(options, dir);
    expect(first.generated).toBe(true);
    expect(second.generated).toBe(false);
    expect(second.path).toBe(first.path);
    expect(second.summary).toEqual(first.summary);
    expect((await readFile(first.path)).length).toBe(first.summary.bytes);
  });

  it('regenerates a damaged file', async () => {
    const first = await ensureCachedSie({ seed: 12, transactions: 500 }, dir);
    await truncate(first.path, 100);
    const again = await ensureCachedSie({ seed: 12, transactions: 500 }, dir);
    expect(again.generated).toBe(true);
    expect((await readFile(again.path)).length).toBe(first.summary.bytes);
  });

  it('keeps files for different options apart', async () => {
    const a = await ensureCachedSie({ seed: 13, transactions: 500 }, dir);
    const b = await ensureCachedSie({ seed: 13, transactions: 500, lineEnd: '\n' }, dir);
    expect(a.path).not.toBe(b.path);
  });

  it('provides e2e files of about the requested size', async () => {
    const path = await ensureSyntheticFile(200_000, dir);
    const { path: same, summary } = await ensureSyntheticFileWithSummary(200_000, dir);
    expect(same).toBe(path);
    expect(path.startsWith(dir)).toBe(true);
    expect(Math.abs(summary.bytes - 200_000)).toBeLessThan(20_000);
    expect(summary.encoding).toBe('cp437');
  });
});
