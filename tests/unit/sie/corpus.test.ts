import { describe, expect, it } from 'vitest';
import { cliSummarySchema, toCliSummary } from '../../../domain/sie-summary.ts';
import { crc32 } from '../../../workers/sie/ksumma.ts';
import { summarizeBytes } from '../../../workers/sie/summarize.ts';
import { corpusFiles, notSieFiles, readCorpus, VALID_KSUMMA_FILES } from './helpers.ts';

describe('SIE corpus', () => {
  for (const name of corpusFiles()) {
    it(`parses ${name}`, async () => {
      const r = await summarizeBytes(readCorpus(name), { fileName: name });
      expect(r.data, JSON.stringify(r.diagnostics[0])).not.toBeNull();
      const data = r.data;
      if (!data) return;
      expect(data.years.length).toBeGreaterThan(0);
      expect(data.years.map((y) => y.index)).toEqual(
        [...data.years.map((y) => y.index)].sort((a, b) => b - a),
      );
      expect(r.diagnostics.every((d) => d.severity === 'warning' && d.line >= 1)).toBe(true);
      const cli = toCliSummary(data, r.diagnostics);
      expect(cliSummarySchema.safeParse(cli).success).toBe(true);
      for (const y of cli.years) {
        for (const v of Object.values(y.result)) expect(Number.isSafeInteger(v)).toBe(true);
      }
      if (/\.si$/i.test(name) && data.sieType.startsWith('4')) expect(data.sieType).toBe('4I');
    });
  }

  for (const name of notSieFiles()) {
    it(`rejects not-sie/${name} as NOT_SIE`, async () => {
      const r = await summarizeBytes(readCorpus(`not-sie/${name}`), { fileName: name });
      expect(r.data).toBeNull();
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ code: 'NOT_SIE', severity: 'error', line: 1 });
      expect(r.diagnostics[0]?.message).toContain('HTML');
    });
  }
});

describe('#KSUMMA', () => {
  it('crc32 is the zlib CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  for (const name of VALID_KSUMMA_FILES) {
    it(`${name} verifies`, async () => {
      const r = await summarizeBytes(readCorpus(name), { fileName: name });
      expect(r.data?.checksum).toBe('valid');
      expect(r.diagnostics.map((d) => d.code)).not.toContain('CHECKSUM_INVALID');
    });
  }

  it('a one-digit change in an amount makes it invalid', async () => {
    const bytes = readCorpus('Sie1.se').slice();
    const text = new TextDecoder('latin1').decode(bytes);
    const at = text.indexOf('#RES\t0\t3001');
    expect(at).toBeGreaterThan(0);
    const lineEnd = text.indexOf('\n', at);
    let digit = lineEnd - 1;
    while (!/[0-9]/.test(text[digit] ?? '')) digit--;
    bytes[digit] = bytes[digit] === 0x31 ? 0x32 : 0x31;
    const r = await summarizeBytes(bytes, { fileName: 'Sie1.se' });
    expect(r.data?.checksum).toBe('invalid');
    expect(r.diagnostics.map((d) => d.code)).toContain('CHECKSUM_INVALID');
  });

  it('files without #KSUMMA report absent', async () => {
    const r = await summarizeBytes(readCorpus('typ4.se'), { fileName: 'typ4.se' });
    expect(r.data?.checksum).toBe('absent');
  });

  it('a UTF-8 transcoding of a checksummed CP437 file still verifies', async () => {
    const cp437 = readCorpus('Sie1.se');
    const { decodeCp437 } = await import('../../../workers/sie/cp437.ts');
    const utf8 = new TextEncoder().encode(decodeCp437(cp437));
    const r = await summarizeBytes(utf8, { fileName: 'Sie1.se' });
    expect(r.data?.encoding).toBe('utf-8');
    expect(r.data?.checksum).toBe('valid');
  });
});

describe('unbalanced voucher', () => {
  it('flags the #VER of the changed voucher in the bad-balance twin only', async () => {
    const good = readCorpus('transaktioner_ovnbolag.se');
    const bad = readCorpus('transaktioner_ovnbolag-bad-balance.se');
    const goodLines = new TextDecoder('latin1').decode(good).split('\n');
    const badLines = new TextDecoder('latin1').decode(bad).split('\n');
    const changed = badLines.findIndex((l, i) => l !== goodLines[i]);
    expect(changed).toBeGreaterThan(0);
    let ver = changed;
    while (ver >= 0 && !(badLines[ver] ?? '').trimStart().startsWith('#VER')) ver--;
    const expectedLine = ver + 1;

    const rBad = await summarizeBytes(bad, { fileName: 'transaktioner_ovnbolag-bad-balance.se' });
    const unbalanced = rBad.diagnostics.filter((d) => d.code === 'UNBALANCED_VOUCHER');
    expect(unbalanced.map((d) => d.line)).toEqual([expectedLine]);

    const rGood = await summarizeBytes(good, { fileName: 'transaktioner_ovnbolag.se' });
    expect(rGood.diagnostics.map((d) => d.code)).not.toContain('UNBALANCED_VOUCHER');
  });
});
