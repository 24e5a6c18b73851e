/**
 * Turns a report model into a PDF in the browser. pdfmake and its embedded Roboto fonts
 * (about 1 MB) are imported only here, and this module is itself imported only when the user
 * creates a report, so neither weighs on the first screen. Nothing is fetched from the
 * network but the app's own code: the fonts come from the bundle, the charts are vectors.
 */
import type { ReportModel } from './model';
import { reportDefinition } from './pdf-definition';

type PdfMake = typeof import('pdfmake/build/pdfmake');

async function loadPdfMake(): Promise<PdfMake> {
  const [library, fonts] = await Promise.all([
    import('pdfmake/build/pdfmake'),
    import('pdfmake/build/vfs_fonts'),
  ]);
  // The UMD bundles arrive as CommonJS modules: their exports are the default export.
  const loaded: PdfMake | { default: PdfMake } = library;
  const pdfMake = 'default' in loaded ? loaded.default : loaded;
  pdfMake.addVirtualFileSystem(fonts.default);
  return pdfMake;
}

export async function createReportPdf(model: ReportModel): Promise<Blob> {
  const pdfMake = await loadPdfMake();
  return pdfMake.createPdf(reportDefinition(model)).getBlob();
}
