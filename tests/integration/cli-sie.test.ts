import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSummarySchema, financePayloadSchema } from '../../domain/sie-summary';
import { repoRoot } from '../helpers/server';

const corpus = join(repoRoot, '../shared/sie-corpus');

/** Runs `npx nyckel …` as another tool would: a separate process, stdout and exit code. */
const nyckel = (...args: string[]) => {
  const result = spawnSync(process.execPath, ['bin/nyckel.mjs', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('CLI contract: nyckel sie summarize', () => {
  it('prints one nyckel.sie-summary/1 JSON object and exits 0', () => {
    const { code, stdout, stderr } = nyckel('sie', 'summarize', join(corpus, 'Sie4.se'), '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = cliSummarySchema.parse(JSON.parse(stdout));
    expect(summary).toMatchObject({
      format: 'nyckel.sie-summary/1',
      sieType: '4E',
      currency: 'SEK',
    });
    expect(summary.years.length).toBeGreaterThan(0);
  });

  it('reports a 4I file by its .si name', () => {
    const { code, stdout } = nyckel('sie', 'summarize', join(corpus, 'Sie4.si'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).sieType).toBe('4I');
  });

  it('rejects a web page with exit 2 and a single line on stderr', () => {
    const { code, stdout, stderr } = nyckel(
      'sie',
      'summarize',
      join(corpus, 'not-sie/HAS4E_1412.Se'),
      '--json',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('NOT_SIE');
  });

  it('a missing file is exit 2 too, with one line', () => {
    const { code, stderr } = nyckel('sie', 'summarize', join(corpus, 'no-such-file.se'), '--json');
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('CLI contract: nyckel sie payload', () => {
  it('prints exactly the finance payload, profile coarsened', () => {
    const { code, stdout } = nyckel(
      'sie',
      'payload',
      join(corpus, 'Sie4.se'),
      '--sni',
      '62010',
      '--employees',
      '12',
      '--county',
      '07',
    );
    expect(code).toBe(0);
    const payload = financePayloadSchema.parse(JSON.parse(stdout));
    expect(payload.profile).toEqual({ sni: '620', employeeBand: '10-19', county: '07' });
    expect(payload.years[0]?.employees).toBe(12);
  });

  it('refuses an invalid SNI code with a readable one-line error', () => {
    const { code, stdout, stderr } = nyckel(
      'sie',
      'payload',
      join(corpus, 'Sie4.se'),
      '--sni',
      '620',
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/SNI code "620" must be 5 digits/);
  });

  it('every corpus file yields a schema-valid payload; every not-sie/ file exits 2', () => {
    const sieFiles = readdirSync(corpus).filter((name) => /\.s(e|i)$/i.test(name));
    const notSie = readdirSync(join(corpus, 'not-sie')).map((name) => `not-sie/${name}`);
    expect(sieFiles.length).toBeGreaterThan(50);
    expect(notSie.length).toBeGreaterThan(5);
    const files = [...sieFiles, ...notSie];
    // One process for all files keeps this fast; each file is still read from disk by the CLI.
    const script = `
      const { main } = await import('./cli/main.ts');
      const results = [];
      const write = process.stdout.write.bind(process.stdout);
      for (const file of ${JSON.stringify(files)}) {
        let out = '';
        process.stdout.write = (chunk) => { out += chunk; return true; };
        process.stderr.write = () => true;
        const code = await main(['node', 'nyckel', 'sie', 'payload', ${JSON.stringify(corpus)} + '/' + file]);
        process.stdout.write = write;
        results.push({ file, code, out });
      }
      write(JSON.stringify(results));
    `;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const results = JSON.parse(run.stdout) as { file: string; code: number; out: string }[];
    expect(results).toHaveLength(files.length);
    for (const { file, code, out } of results) {
      expect([0, 2], file).toContain(code);
      if (code === 0)
        expect(financePayloadSchema.safeParse(JSON.parse(out)).success, file).toBe(true);
    }
  });
});
