import { describe, expect, it } from 'vitest';
import {
  createFields,
  createLineSplitter,
  FIELD_BARE,
  FIELD_LIST,
  FIELD_QUOTED,
  fieldBytes,
  tokenizeFields,
} from '../../../workers/sie/tokenizer.ts';
import { ascii } from './helpers.ts';

const dec = new TextDecoder();

function split(chunks: Uint8Array[], max?: number): string[] {
  const lines: string[] = [];
  const s = createLineSplitter((buf, a, b) => lines.push(dec.decode(buf.subarray(a, b))), max);
  for (const c of chunks) s.push(c);
  s.end();
  return lines;
}

function fields(line: string): Array<[number, string]> {
  const bytes = ascii(line);
  const f = createFields();
  const n = tokenizeFields(bytes, 0, bytes.length, f);
  return Array.from({ length: n }, (_, i) => [
    f.kind[i] ?? -1,
    dec.decode(fieldBytes(bytes, f, i)),
  ]);
}

describe('line splitter', () => {
  it('splits LF and CRLF, with lines spanning chunks', () => {
    const text = 'a\r\nbb\n\nccc\r\nlast';
    const bytes = ascii(text);
    const expected = ['a', 'bb', '', 'ccc', 'last'];
    expect(split([bytes])).toEqual(expected);
    expect(split(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(expected);
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toEqual(
      expected,
    );
  });

  it('cuts overlong lines instead of growing without bound', () => {
    const lines: Array<[number, number]> = [];
    const s = createLineSplitter((_b, a, b, n) => lines.push([n, b - a]), 8);
    s.push(ascii('0123456789abc\nok\n0123'));
    s.push(ascii('456789\n'));
    s.end();
    expect(lines).toEqual([
      [1, 8],
      [2, 2],
      [3, 8],
    ]);
    expect(s.overlongLines).toEqual([1, 3]);
  });
});

describe('field tokenizer', () => {
  it('handles quotes, escapes, object lists, tabs and indentation', () => {
    expect(fields('  #TRANS\t1930 {1 "100" "6" "P 1"}  -12.50 20240101 "a \\"b\\" c"')).toEqual([
      [FIELD_BARE, '#TRANS'],
      [FIELD_BARE, '1930'],
      [FIELD_LIST, '1 "100" "6" "P 1"'],
      [FIELD_BARE, '-12.50'],
      [FIELD_BARE, '20240101'],
      [FIELD_QUOTED, 'a "b" c'],
    ]);
  });

  it('keeps braces inside quotes and quotes inside lists', () => {
    expect(fields('#VER A 1 20240101 "x } {" ')).toEqual([
      [FIELD_BARE, '#VER'],
      [FIELD_BARE, 'A'],
      [FIELD_BARE, '1'],
      [FIELD_BARE, '20240101'],
      [FIELD_QUOTED, 'x } {'],
    ]);
    expect(fields('#TRANS 5010 {"1" "a}b"} 3')[2]).toEqual([FIELD_LIST, '"1" "a}b"']);
  });

  it('allows bare tokens starting with # and empty quoted fields', () => {
    expect(fields('#PROSA #hash "" x')).toEqual([
      [FIELD_BARE, '#PROSA'],
      [FIELD_BARE, '#hash'],
      [FIELD_QUOTED, ''],
      [FIELD_BARE, 'x'],
    ]);
  });

  it('runs unterminated quotes and lists to the end of the line', () => {
    expect(fields('#FNAMN "open')).toEqual([
      [FIELD_BARE, '#FNAMN'],
      [FIELD_QUOTED, 'open'],
    ]);
    expect(fields('#TRANS 1 {1 2')[2]).toEqual([FIELD_LIST, '1 2']);
  });
});
