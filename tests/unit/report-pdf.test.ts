import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportDefinition } from '../../src/lib/report/pdf-definition';
import { reportModel, type ReportModel } from '../../src/lib/report/model';
import { declaredFonts, pdfText, plainSpaces, type PdfText } from '../helpers/pdf-text';
import { benchmarkAnswer } from './report-fixture';

type PdfMake = typeof import('pdfmake');

/**
 * The report's document definition rendered by pdfmake's Node build — the same layout code
 * as the browser bundle — and read back with PDF.js: the text a reader gets out of the file.
 */
async function render(model: ReportModel): Promise<Uint8Array> {
  const loaded: PdfMake | { default: PdfMake } = await import('pdfmake');
  const pdfmake = 'default' in loaded ? loaded.default : loaded;
  const regular = createRequire(import.meta.url).resolve('pdfmake/fonts/Roboto/Roboto-Regular.ttf');
  const fontDir = dirname(regular);
  pdfmake.setFonts({
    Roboto: {
      normal: regular,
      bold: `${fontDir}/Roboto-Medium.ttf`,
      italics: `${fontDir}/Roboto-Italic.ttf`,
      bolditalics: `${fontDir}/Roboto-MediumItalic.ttf`,
    },
  });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => path.startsWith(fontDir));
  return new Uint8Array(await pdfmake.createPdf(reportDefinition(model)).getBuffer());
}

const subject = { orgName: 'Jämförbolaget AB', clientLabel: null };
const madeOn = '2025-03-14';

describe('report PDF', () => {
  const documents: Partial<
    Record<'sv' | 'en', { model: ReportModel; bytes: Uint8Array; read: PdfText }>
  > = {};

  beforeAll(async () => {
    for (const lang of ['sv', 'en'] as const) {
      const model = reportModel(benchmarkAnswer(), { lang, subject, madeOn });
      const bytes = await render(model);
      documents[lang] = { model, bytes, read: await pdfText(bytes) };
    }
  }, 60_000);

  it('holds every table row as text: name, value, quartiles, index and n, in order', () => {
    for (const { model, read } of Object.values(documents)) {
      const rows = model.sections.flatMap((s) => s.rows);
      expect(rows.length).toBeGreaterThan(10);
      for (const row of rows) {
        const line = [row.name, row.value, row.p25, row.median, row.p75, row.index, row.n]
          .map(plainSpaces)
          .join(' ');
        expect(read.text).toContain(line);
      }
    }
  });

  it('writes Swedish in Swedish, with å ä ö and the Swedish number forms intact', () => {
    const { read, model } = documents.sv!;
    expect(read.pages[0]).toContain('Nyckeltalsrapport Jämförbolaget AB');
    expect(read.pages[0]).toContain('Räkenskapsår 2024');
    expect(read.pages[0]).toContain('Jämförelsegrupp');
    expect(read.pages[0]).toContain('Demodata');
    expect(read.text).toContain('69 Övriga externa kostnader, andel av nettoomsättning');
    expect(read.text).toContain('Skuldsättningsgrad 1,5 ggr');
    expect(read.text).toContain('1 234 567 kr');
    expect(read.text).toContain('−3,4 %');
    expect(read.text).toContain('Kassalikviditet: ingen jämförelsegrupp har minst 10 företag');
    expect(read.text).toContain(plainSpaces(model.appendix.figures[0]!.explanation));
    expect(read.text).toContain('n ≥ 10');
    expect(read.info.Title).toBe('Nyckeltalsrapport – Jämförbolaget AB – 2024');
  });

  it('writes English in English', () => {
    const { read } = documents.en!;
    expect(read.pages[0]).toContain('Key figures report Jämförbolaget AB');
    expect(read.pages[0]).toContain('Fiscal year 2024');
    expect(read.text).toContain('Your value');
    expect(read.text).toContain('12.5%');
    expect(read.text).toContain('1,234,567 kr');
    expect(read.text).not.toContain('Räkenskapsår');
  });

  it('numbers its pages in the footer, on every page', () => {
    for (const [lang, { read }] of Object.entries(documents)) {
      expect(read.pages.length).toBeGreaterThanOrEqual(3);
      read.pages.forEach((page, i) =>
        expect(page).toContain(
          lang === 'sv'
            ? `Sida ${i + 1} av ${read.pages.length}`
            : `Page ${i + 1} of ${read.pages.length}`,
        ),
      );
    }
  });

  it('embeds its font rather than naming one the reader must have', () => {
    const fonts = declaredFonts(documents.sv!.bytes);
    expect(fonts.names.length).toBeGreaterThan(0);
    expect(fonts.names.every((name) => name.startsWith('Roboto'))).toBe(true);
    expect(fonts.embedded).toBe(fonts.names.length);
  });
});
