/**
 * `#KSUMMA` checksum (SIE 4B §5): CRC-32 with the zlib/PNG polynomial (0xEDB88320 reflected,
 * init and final XOR 0xFFFFFFFF) over the CP437 bytes of every record between the opening
 * `#KSUMMA` (no value) and the closing `#KSUMMA <crc>`.
 *
 * Per record, the checksummed bytes are the label (with `#`) followed by each field's content,
 * concatenated without separators:
 * - spaces and tabs between fields are skipped,
 * - quoted fields contribute their content without the enclosing quotes; `\"` counts as `"`,
 *   and spaces inside quotes are content,
 * - object lists contribute their items (dimension and object ids, unquoted) without `{` `}`,
 * - the bare `{` / `}` lines around voucher rows contribute nothing,
 * - line ends are not included.
 * Verified against all five corpus files that carry a checksum.
 */
import { cp437ByteOf } from './cp437.ts';
import type { SieEncoding } from './encoding.ts';
import { WINDOWS_1252_TO_UNICODE } from './encoding.ts';

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** Updates a running CRC-32 (pass 0 to start; the result is final, unsigned). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++)
    c = (c >>> 8) ^ (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  return ~c >>> 0;
}

/** Windows-1252 byte → CP437 byte (-1: no CP437 form). */
const W1252_TO_CP437 = Int16Array.from(WINDOWS_1252_TO_UNICODE, (cp) => cp437ByteOf(cp));

export type ChecksumStatus = 'valid' | 'invalid' | 'absent' | 'unverifiable';

export interface KsummaState {
  /** 0 = no #KSUMMA seen, 1 = open (summing), 2 = closed. */
  phase: 0 | 1 | 2;
  /** Running CRC register (already inverted: start value ~0). */
  register: number;
  /** Line of the opening #KSUMMA. */
  openLine: number;
  /** Value of the closing #KSUMMA, or NaN when it was not a number. */
  expected: number;
  /** Some character could not be expressed in CP437. */
  unencodable: boolean;
  /** CRC register over the file's own bytes (kept when the file is not CP437). */
  rawRegister: number;
  /** Encoding the file was summed in. */
  encoding: SieEncoding;
}

export function createKsummaState(): KsummaState {
  return {
    phase: 0,
    register: ~0,
    openLine: 0,
    expected: NaN,
    unencodable: false,
    rawRegister: ~0,
    encoding: 'cp437',
  };
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;

/**
 * Adds one line (a whole record) to the checksum. The file's bytes are transcoded to CP437
 * on the fly when the file is UTF-8 or Windows-1252.
 */
export function ksummaAddLine(
  st: KsummaState,
  buf: Uint8Array,
  start: number,
  end: number,
  encoding: SieEncoding,
): void {
  st.encoding = encoding;
  let c = st.register;
  let raw = st.rawRegister;
  const keepRaw = encoding !== 'cp437';
  let inQuote = false;
  let i = start;
  while (i < end) {
    let b = buf[i++] ?? 0;
    if (!inQuote) {
      if (b === SPACE || b === TAB || b === LBRACE || b === RBRACE) continue;
      if (b === QUOTE) {
        inQuote = true;
        continue;
      }
    } else if (b === QUOTE) {
      inQuote = false;
      continue;
    } else if (b === BACKSLASH && i < end && buf[i] === QUOTE) {
      b = QUOTE;
      i++;
    }
    if (b >= 0x80 && keepRaw) {
      raw = (raw >>> 8) ^ (CRC_TABLE[(raw ^ b) & 0xff] ?? 0);
      let cp = -1;
      if (encoding === 'windows-1252') cp = W1252_TO_CP437[b] ?? -1;
      else {
        // UTF-8: decode one sequence (the file was validated as UTF-8 during detection).
        let need = 0;
        let v = 0;
        if (b >= 0xc0 && b < 0xe0) {
          need = 1;
          v = b & 0x1f;
        } else if (b >= 0xe0 && b < 0xf0) {
          need = 2;
          v = b & 0x0f;
        } else if (b >= 0xf0 && b < 0xf8) {
          need = 3;
          v = b & 0x07;
        }
        if (need === 0 || i + need > end) st.unencodable = true;
        else {
          for (let k = 0; k < need; k++) {
            const cont = buf[i++] ?? 0;
            raw = (raw >>> 8) ^ (CRC_TABLE[(raw ^ cont) & 0xff] ?? 0);
            v = (v << 6) | (cont & 0x3f);
          }
          cp = cp437ByteOf(v);
        }
      }
      if (cp < 0) {
        st.unencodable = true;
        continue;
      }
      b = cp;
    } else if (keepRaw) raw = (raw >>> 8) ^ (CRC_TABLE[(raw ^ b) & 0xff] ?? 0);
    c = (c >>> 8) ^ (CRC_TABLE[(c ^ b) & 0xff] ?? 0);
  }
  st.register = c;
  st.rawRegister = raw;
}

/**
 * Final status once the file has been read (an opening without a closing #KSUMMA is reported
 * as a TRUNCATED error by the parser). A file that is not CP437 is checked both after
 * transcoding to CP437 (the specification) and over its own bytes (what some exporters do);
 * if neither matches the result is `unverifiable`, because we cannot know which bytes the
 * exporter summed. Only a CP437 file can be declared `invalid`.
 */
export function ksummaStatus(st: KsummaState): ChecksumStatus {
  if (st.phase === 0) return 'absent';
  if (st.phase === 1) return 'invalid';
  if (!st.unencodable && ~st.register >>> 0 === st.expected) return 'valid';
  if (st.encoding !== 'cp437' && ~st.rawRegister >>> 0 === st.expected) return 'valid';
  return st.encoding === 'cp437' && !st.unencodable ? 'invalid' : 'unverifiable';
}

/** The computed checksum value (for diagnostics). */
export function ksummaActual(st: KsummaState): number {
  return ~st.register >>> 0;
}
