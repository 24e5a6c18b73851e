import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Spaces of every kind (the no-break spaces of "1 234 kr" and "12,5 %") as one plain space. */
export const plainSpaces = (text: string): string => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

export interface PdfText {
  /** Each page's text: runs joined as laid out, whitespace collapsed to single spaces. */
  pages: string[];
  /** All pages, joined. */
  text: string;
  /** The document information dictionary (Title, Author, …). */
  info: Record<string, unknown>;
}

/**
 * The text of a PDF as a reader extracts it (PDF.js, the engine of Firefox's viewer): proof
 * that the words and numbers are real text with a usable font mapping, not pictures.
 */
export async function pdfText(data: Uint8Array): Promise<PdfText> {
  const pdf = await getDocument({
    data: new Uint8Array(data),
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const content = await (await pdf.getPage(number)).getTextContent();
      let text = '';
      let end: { x: number; y: number } | null = null;
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const [x, y] = [item.transform[4] as number, item.transform[5] as number];
        // Runs that continue one another on the same line (a word broken into pieces for
        // line breaking, "Debt-" + "to-" + "equity") join without a space.
        const continues = end !== null && Math.abs(end.y - y) < 0.5 && Math.abs(end.x - x) < 0.5;
        text += (continues ? '' : ' ') + item.str;
        end = item.hasEOL ? null : { x: x + item.width, y };
      }
      pages.push(plainSpaces(text));
    }
    const meta = await pdf.getMetadata();
    return { pages, text: pages.join(' '), info: meta.info as Record<string, unknown> };
  } finally {
    await pdf.destroy();
  }
}

/**
 * The fonts a PDF declares (subset prefix removed) and whether each has its glyphs embedded
 * (a FontFile2 program for TrueType): a font that is only named would render with whatever
 * the reader substitutes, and may lose å, ä and ö.
 */
export function declaredFonts(data: Uint8Array): { names: string[]; embedded: number } {
  const raw = Buffer.from(data).toString('latin1');
  const names = [...raw.matchAll(/\/BaseFont\s*\/(?:[A-Z]{6}\+)?([\w-]+)/g)].map((m) => m[1]!);
  const embedded = [...raw.matchAll(/\/FontFile2\s+\d+\s+0\s+R/g)].length;
  return { names: [...new Set(names)], embedded };
}
