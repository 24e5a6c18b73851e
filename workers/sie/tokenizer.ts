/**
 * Byte-level line splitting and field tokenizing for SIE records.
 *
 * Nothing here builds strings: lines are handed out as (buffer, start, end) ranges and fields
 * as offset pairs in preallocated typed arrays, so the hot loop allocates nothing per line.
 */

export type LineHandler = (buf: Uint8Array, start: number, end: number, lineNo: number) => void;

export interface LineSplitter {
  /** Feeds the next chunk; complete lines are passed to the handler synchronously. */
  push(chunk: Uint8Array): void;
  /** Flushes the last line (a file need not end with a newline). */
  end(): void;
  /** Number of lines handed out so far. */
  readonly lineCount: number;
  /** Line numbers (first 20) of lines longer than `maxLineBytes` that were cut. */
  readonly overlongLines: readonly number[];
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;

/** Lines are cut at 1 MiB so a file without line breaks cannot grow memory without bound. */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/**
 * Splits byte chunks into lines ending in LF or CRLF. Lines that lie inside one chunk are
 * passed without copying; only a line spanning chunk boundaries is assembled in a carry buffer.
 */
export function createLineSplitter(
  onLine: LineHandler,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): LineSplitter {
  let carry = new Uint8Array(256);
  let carryLen = 0;
  let carryOverflow = false;
  let lineNo = 0;
  const overlong: number[] = [];

  const appendCarry = (chunk: Uint8Array, start: number, end: number): void => {
    const room = maxLineBytes - carryLen;
    const take = Math.min(end - start, room);
    if (take < end - start) carryOverflow = true;
    if (take <= 0) return;
    if (carryLen + take > carry.length) {
      const next = new Uint8Array(
        Math.min(maxLineBytes, Math.max(carry.length * 2, carryLen + take)),
      );
      next.set(carry.subarray(0, carryLen));
      carry = next;
    }
    carry.set(chunk.subarray(start, start + take), carryLen);
    carryLen += take;
  };

  const emit = (buf: Uint8Array, start: number, end: number, overflow: boolean): void => {
    lineNo++;
    if (overflow && overlong.length < 20) overlong.push(lineNo);
    let e = end;
    if (e > start && buf[e - 1] === CR) e--;
    onLine(buf, start, e, lineNo);
  };

  return {
    push(chunk) {
      let pos = 0;
      const n = chunk.length;
      while (pos < n) {
        const nl = chunk.indexOf(LF, pos);
        if (nl < 0) {
          appendCarry(chunk, pos, n);
          return;
        }
        if (carryLen > 0 || carryOverflow) {
          appendCarry(chunk, pos, nl);
          const overflow = carryOverflow;
          const len = carryLen;
          carryLen = 0;
          carryOverflow = false;
          // The carry buffer is reused, so the handler must not keep the range.
          emit(carry, 0, len, overflow);
        } else if (nl - pos > maxLineBytes) {
          emit(chunk, pos, pos + maxLineBytes, true);
        } else {
          emit(chunk, pos, nl, false);
        }
        pos = nl + 1;
      }
    },
    end() {
      if (carryLen > 0 || carryOverflow) {
        const overflow = carryOverflow;
        const len = carryLen;
        carryLen = 0;
        carryOverflow = false;
        emit(carry, 0, len, overflow);
      }
    },
    get lineCount() {
      return lineNo;
    },
    get overlongLines() {
      return overlong;
    },
  };
}

export const FIELD_BARE = 0;
export const FIELD_QUOTED = 1;
export const FIELD_LIST = 2;
export type FieldKind = typeof FIELD_BARE | typeof FIELD_QUOTED | typeof FIELD_LIST;

/** Reusable field offsets for one line. Quoted fields and lists exclude their delimiters. */
export interface Fields {
  count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly kind: Uint8Array;
  /** 1 when a quoted field contains `\"` escapes (needs unescaping before use). */
  readonly escaped: Uint8Array;
}

export function createFields(capacity = 24): Fields {
  return {
    count: 0,
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    kind: new Uint8Array(capacity),
    escaped: new Uint8Array(capacity),
  };
}

/**
 * Splits `buf[start, end)` into fields: bare tokens (ended by space or tab; may begin with `#`),
 * quoted fields (`\"` is an escaped quote) and object lists `{…}` (quote-aware). Stops after
 * `maxFields` fields (extra trailing fields are ignored by the caller anyway). Unterminated
 * quotes or lists run to the end of the line.
 */
export function tokenizeFields(
  buf: Uint8Array,
  start: number,
  end: number,
  f: Fields,
  maxFields = f.start.length,
): number {
  let i = start;
  let n = 0;
  const limit = Math.min(maxFields, f.start.length);
  while (n < limit) {
    let c = 0;
    while (i < end && ((c = buf[i] ?? 0) === SPACE || c === TAB)) i++;
    if (i >= end) break;
    if (c === QUOTE) {
      const s = ++i;
      let escaped = 0;
      while (i < end) {
        const d = buf[i] ?? 0;
        if (d === BACKSLASH && buf[i + 1] === QUOTE && i + 1 < end) {
          escaped = 1;
          i += 2;
          continue;
        }
        if (d === QUOTE) break;
        i++;
      }
      f.start[n] = s;
      f.end[n] = i;
      f.kind[n] = FIELD_QUOTED;
      f.escaped[n] = escaped;
      if (i < end) i++; // closing quote
    } else if (c === LBRACE) {
      const s = ++i;
      let inQuote = false;
      while (i < end) {
        const d = buf[i] ?? 0;
        if (inQuote) {
          if (d === BACKSLASH && buf[i + 1] === QUOTE) i++;
          else if (d === QUOTE) inQuote = false;
        } else if (d === QUOTE) inQuote = true;
        else if (d === RBRACE) break;
        i++;
      }
      f.start[n] = s;
      f.end[n] = i;
      f.kind[n] = FIELD_LIST;
      f.escaped[n] = 0;
      if (i < end) i++; // closing brace
    } else {
      const s = i;
      while (i < end && (c = buf[i] ?? 0) !== SPACE && c !== TAB) i++;
      f.start[n] = s;
      f.end[n] = i;
      f.kind[n] = FIELD_BARE;
      f.escaped[n] = 0;
    }
    n++;
  }
  f.count = n;
  return n;
}

/** Copies field `i` out of the line, turning `\"` into `"` for quoted fields. */
export function fieldBytes(buf: Uint8Array, f: Fields, i: number): Uint8Array {
  const s = f.start[i] ?? 0;
  const e = f.end[i] ?? 0;
  if (!f.escaped[i]) return buf.slice(s, e);
  const out = new Uint8Array(e - s);
  let n = 0;
  for (let j = s; j < e; j++) {
    const b = buf[j] ?? 0;
    if (b === BACKSLASH && buf[j + 1] === QUOTE && j + 1 < e) {
      out[n++] = QUOTE;
      j++;
    } else out[n++] = b;
  }
  return out.slice(0, n);
}

/** ASCII text of field `i` (for labels, numbers and codes; non-ASCII bytes map to Latin-1). */
export function fieldAscii(buf: Uint8Array, f: Fields, i: number): string {
  let s = '';
  const e = f.end[i] ?? 0;
  for (let j = f.start[i] ?? 0; j < e; j++) s += String.fromCharCode(buf[j] ?? 0);
  return s;
}

/** True when the range holds only spaces and tabs (an empty object list `{}` / `{ }`). */
export function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== SPACE && c !== TAB) return false;
  }
  return true;
}
