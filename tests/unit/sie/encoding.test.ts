import { describe, expect, it } from 'vitest';
import { encodeCp437, decodeCp437 } from '../../../workers/sie/cp437.ts';
import { createEncodingDetector, decodeText } from '../../../workers/sie/encoding.ts';
import { summarizeBytes } from '../../../workers/sie/summarize.ts';

const SWEDISH = 'Åkeri Östra Fläkt & Café AB: åäö ÅÄÖ é';

function w1252(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0)); // Latin-1 subset of 1252
}

function sieText(name: string): string {
  return [
    '#FLAGGA 0',
    '#PROGRAM "Test" 1',
    '#FORMAT PC8',
    '#GEN 20250101',
    '#SIETYP 1',
    `#FNAMN "${name}"`,
    '#RAR 0 20240101 20241231',
    `#KONTO 3010 "Försäljning ${name}"`,
    '#IB 0 1930 10.00',
    '#UB 0 1930 20.00',
    '#RES 0 3010 -10.00',
    '',
  ].join('\n');
}

describe('CP437', () => {
  it('round-trips all 256 bytes', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(encodeCp437(decodeCp437(all))).toEqual(all);
    expect(decodeCp437(Uint8Array.of(0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82))).toBe('åäöÅÄÖé');
    expect(encodeCp437('€')).toBeNull();
  });
});

describe('encoding detection', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['utf-8', new TextEncoder().encode(sieText(SWEDISH))],
    ['cp437', encodeCp437(sieText(SWEDISH)) ?? new Uint8Array()],
    ['windows-1252', w1252(sieText(SWEDISH))],
  ];

  for (const [encoding, bytes] of cases) {
    it(`detects ${encoding} and decodes names`, async () => {
      for (const chunkSize of [1, 7, 1 << 16]) {
        const r = await summarizeBytes(bytes, { chunkSize });
        expect(r.data?.encoding).toBe(encoding);
        expect(r.data?.company.name).toBe(SWEDISH);
        expect(r.data?.accounts['3010']).toBe(`Försäljning ${SWEDISH}`);
        const mismatch = r.diagnostics.some((d) => d.code === 'ENCODING_MISMATCH');
        expect(mismatch).toBe(encoding !== 'cp437');
      }
    });
  }

  it('reports pure ASCII as cp437 (what #FORMAT PC8 declares)', async () => {
    const text = sieText('Plain AB').replace('Försäljning', 'Forsaljning');
    const r = await summarizeBytes(new TextEncoder().encode(text));
    expect(r.data?.encoding).toBe('cp437');
    expect(r.diagnostics.some((d) => d.code.startsWith('ENCODING_'))).toBe(false);
  });

  it('decides on a late non-ASCII byte after an ASCII prefix larger than 64 KiB', async () => {
    const filler = Array.from(
      { length: 3000 },
      (_, i) => `#KONTO ${4000 + (i % 999)} "Konto nummer ${i}"`,
    ).join('\n');
    const text =
      sieText('Plain AB').replace('Försäljning', 'Forsaljning') +
      filler +
      '\n#KONTO 6000 "Övrigt"\n';
    const bytes = w1252(text);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const r = await summarizeBytes(bytes, { chunkSize: 4096 });
    expect(r.data?.encoding).toBe('windows-1252');
    expect(r.data?.accounts['6000']).toBe('Övrigt');
  });

  it('detector: BOM, UTF-8 sequences split across chunks, CP437 vs 1252 letters', () => {
    const d1 = createEncodingDetector();
    d1.feed(Uint8Array.of(0xef, 0xbb, 0xbf, 0x23));
    expect(d1.decide()).toEqual({ encoding: 'utf-8', evidence: 'bom' });

    const d2 = createEncodingDetector();
    for (const b of new TextEncoder().encode('åäö')) d2.feed(Uint8Array.of(b));
    expect(d2.decide().encoding).toBe('utf-8');

    const d3 = createEncodingDetector();
    d3.feed(Uint8Array.of(0x84, 0x20, 0xc4, 0x41)); // ambiguous: ä (cp437) / Ä (1252)
    expect(d3.decide()).toEqual({ encoding: 'cp437', evidence: 'ambiguous' });

    expect(decodeText(Uint8Array.of(0x80), 'windows-1252')).toBe('€');
  });
});
