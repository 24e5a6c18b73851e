import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const corpusDir = path.resolve(repoRoot, '../shared/sie-corpus');
export const fixturesDir = path.resolve(repoRoot, 'tests/fixtures/sie');

/** SIE files of the shared corpus (read-only; never copied into the repo). */
export function corpusFiles(): string[] {
  return readdirSync(corpusDir)
    .filter((f) => f !== 'README.md' && statSync(path.join(corpusDir, f)).isFile())
    .sort();
}

export function notSieFiles(): string[] {
  return readdirSync(path.join(corpusDir, 'not-sie')).sort();
}

export function readCorpus(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(path.join(corpusDir, name)));
}

export function readFixture(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(path.join(fixturesDir, name)));
}

export const VALID_KSUMMA_FILES = [
  'Bokslut%20Norstedts%20SIE%204E.se',
  'Norstedts%20Bokslut%20SIE%201.se',
  'Norstedts%20Bokslut%20SIE%204I.si',
  'Norstedts%20Revision%20SIE%201.SE',
  'Sie1.se',
];

/** Async iterable over `bytes` cut at the given sizes (cycled). */
export async function* chunked(
  bytes: Uint8Array,
  sizes: readonly number[],
): AsyncGenerator<Uint8Array> {
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    yield bytes.subarray(i, Math.min(bytes.length, i + n));
    i += n;
  }
}

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
