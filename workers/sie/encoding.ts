/**
 * Character-encoding detection for SIE files, decided from bytes while streaming.
 *
 * Approach (documented for DESIGN §4):
 * - A UTF-8 byte-order mark decides `utf-8` at once.
 * - Every byte ≥ 0x80 is fed through a strict UTF-8 validator (state carried across chunk
 *   boundaries) and counted as a Swedish letter (åäöÅÄÖé) in CP437 and in Windows-1252.
 * - The detector is *decided* as soon as the evidence is clear: 4 valid multi-byte sequences
 *   and no invalid one → `utf-8`; any invalid sequence plus 16 high bytes → the single-byte
 *   code page with more Swedish letters (tie → CP437, the SIE default).
 * - The caller (summarize.ts) buffers at most a 64 KiB prefix while undecided, then forces a
 *   decision. If the prefix was pure ASCII it keeps feeding chunks (only until the first chunk
 *   with a high byte, which is then decided on its own) — lines are therefore always processed
 *   with their final encoding. Pure ASCII files are reported as `cp437` (what `#FORMAT PC8`
 *   declares; PC8 is the only format the specification defines).
 * Text is never decoded while detecting; only the few strings kept for display are decoded.
 */
import { decodeCp437 } from './cp437.ts';

export type SieEncoding = 'cp437' | 'utf-8' | 'windows-1252';

export type EncodingEvidence = 'bom' | 'utf8-sequences' | 'swedish-letters' | 'ascii' | 'ambiguous';

export interface EncodingDecision {
  encoding: SieEncoding;
  evidence: EncodingEvidence;
}

/** Windows-1252 0x80–0x9F (WHATWG: undefined bytes map to the C1 control of the same value). */
const W1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export const WINDOWS_1252_TO_UNICODE: readonly number[] = Array.from({ length: 256 }, (_, b) =>
  b >= 0x80 && b < 0xa0 ? (W1252_C1[b - 0x80] ?? b) : b,
);

/** Bytes that are å ä ö Å Ä Ö é in CP437 … */
const SWEDISH_CP437 = new Set([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82]);
/** … and in Windows-1252. */
const SWEDISH_1252 = new Set([0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6, 0xe9]);

const utf8Decoder = new TextDecoder('utf-8');

/** Decodes a byte range with the given encoding (invalid UTF-8 becomes U+FFFD). */
export function decodeText(
  bytes: Uint8Array,
  encoding: SieEncoding,
  start = 0,
  end = bytes.length,
): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if ((bytes[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] ?? 0);
    return s;
  }
  if (encoding === 'utf-8') return utf8Decoder.decode(bytes.subarray(start, end));
  if (encoding === 'cp437') return decodeCp437(bytes, start, end);
  let s = '';
  for (let i = start; i < end; i++)
    s += String.fromCharCode(WINDOWS_1252_TO_UNICODE[bytes[i] ?? 0] ?? 0);
  return s;
}

export interface EncodingDetector {
  /** Feeds the next chunk of the file. */
  feed(chunk: Uint8Array): void;
  /** True once the evidence is conclusive (or a decision was forced). */
  readonly decided: boolean;
  /** True once any byte ≥ 0x80 has been seen. */
  readonly sawHighByte: boolean;
  /** Forces a decision from the evidence so far; idempotent once decided. */
  decide(): EncodingDecision;
  /** Current best guess (tentative until `decided`). */
  current(): EncodingDecision;
}

const UTF8_DECIDE_SEQUENCES = 4;
const SINGLE_BYTE_DECIDE_HIGH_BYTES = 16;

export function createEncodingDetector(): EncodingDetector {
  let decision: EncodingDecision | null = null;
  let first = true;
  let bom = false;
  let sawHigh = false;
  // UTF-8 validator state.
  let need = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let validSequences = 0;
  let invalidSequences = 0;
  let highBytes = 0;
  let cp437Letters = 0;
  let w1252Letters = 0;

  const evaluate = (force: boolean): EncodingDecision | null => {
    if (bom) return { encoding: 'utf-8', evidence: 'bom' };
    if (invalidSequences === 0 && validSequences >= (force ? 1 : UTF8_DECIDE_SEQUENCES)) {
      return { encoding: 'utf-8', evidence: 'utf8-sequences' };
    }
    if (invalidSequences > 0 && (force || highBytes >= SINGLE_BYTE_DECIDE_HIGH_BYTES)) {
      if (w1252Letters > cp437Letters)
        return { encoding: 'windows-1252', evidence: 'swedish-letters' };
      if (cp437Letters > w1252Letters) return { encoding: 'cp437', evidence: 'swedish-letters' };
      return { encoding: 'cp437', evidence: 'ambiguous' };
    }
    if (force) return { encoding: 'cp437', evidence: 'ascii' };
    return null;
  };

  const feed = (chunk: Uint8Array): void => {
    if (decision) return;
    let i = 0;
    const n = chunk.length;
    if (first && n > 0) {
      first = false;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        bom = true;
        decision = evaluate(true);
        return;
      }
    }
    while (i < n) {
      const b = chunk[i++] ?? 0;
      if (need === 0) {
        if (b < 0x80) continue;
        sawHigh = true;
        highBytes++;
        if (SWEDISH_CP437.has(b)) cp437Letters++;
        if (SWEDISH_1252.has(b)) w1252Letters++;
        if (b >= 0xc2 && b <= 0xdf) {
          need = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
          lower = b === 0xe0 ? 0xa0 : 0x80;
          upper = b === 0xed ? 0x9f : 0xbf;
          need = 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
          lower = b === 0xf0 ? 0x90 : 0x80;
          upper = b === 0xf4 ? 0x8f : 0xbf;
          need = 3;
        } else {
          invalidSequences++;
        }
      } else {
        if (b < lower || b > upper) {
          invalidSequences++;
          need = 0;
          lower = 0x80;
          upper = 0xbf;
          i--; // re-examine this byte as a potential lead byte
          continue;
        }
        highBytes++;
        if (SWEDISH_CP437.has(b)) cp437Letters++;
        if (SWEDISH_1252.has(b)) w1252Letters++;
        lower = 0x80;
        upper = 0xbf;
        need--;
        if (need === 0) validSequences++;
      }
    }
    decision = evaluate(false);
  };

  return {
    feed,
    get decided() {
      return decision !== null;
    },
    get sawHighByte() {
      return sawHigh;
    },
    decide() {
      if (!decision) {
        decision = evaluate(true) ?? { encoding: 'cp437', evidence: 'ascii' };
      }
      return decision;
    },
    current() {
      return decision ?? evaluate(true) ?? { encoding: 'cp437', evidence: 'ascii' };
    },
  };
}
