/**
 * IBM code page 437 ("PC8"), the encoding the SIE specification prescribes.
 * TextDecoder has no CP437, so the table lives here. Bytes 0x00–0x7F are ASCII.
 */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** Code point for each of the 256 CP437 bytes. */
export const CP437_TO_UNICODE: readonly number[] = Array.from({ length: 256 }, (_, byte) =>
  byte < 0x80 ? byte : CP437_HIGH.charCodeAt(byte - 0x80),
);

const UNICODE_TO_CP437 = new Map<number, number>(
  CP437_TO_UNICODE.map((codePoint, byte) => [codePoint, byte] as const),
);

/** Decodes CP437 bytes to a string (never fails: every byte has a character). */
export function decodeCp437(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i++) {
    out += String.fromCharCode(CP437_TO_UNICODE[bytes[i] ?? 0] ?? 0);
  }
  return out;
}

/** CP437 byte for a Unicode code point, or -1 when the character has no CP437 form. */
export function cp437ByteOf(codePoint: number): number {
  return codePoint < 0x80 ? codePoint : (UNICODE_TO_CP437.get(codePoint) ?? -1);
}

/**
 * Encodes a string as CP437. Returns null when some character cannot be represented
 * (a KSUMMA over such text cannot be verified).
 */
export function encodeCp437(text: string): Uint8Array | null {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const ch of text) {
    const byte = cp437ByteOf(ch.codePointAt(0) ?? 0);
    if (byte < 0) return null;
    out[n++] = byte;
  }
  return out.subarray(0, n);
}
