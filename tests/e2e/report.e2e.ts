import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Request, Response } from '@playwright/test';
import { benchmarkResultSchema, type BenchmarkResult } from '../../domain/benchmark';
import { KEY_RATIO_IDS, metricById, type MetricUnit } from '../../domain/ratios';
import { pdfText, plainSpaces } from '../helpers/pdf-text';
import { repoRoot } from '../helpers/server';
import { companyWithProfile } from './company';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');
const COMPANY = 'Öresundsrapporten AB';

type Lang = 'sv' | 'en';
const LOCALE: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };

/**
 * How a reader expects a figure in each language, written out from Intl here rather than
 * taken from the app, so the test does not grade the app's formatter with itself: a ratio as
 * a percentage with at most one decimal, an amount in whole kronor, days and times.
 */
function expectedNumber(value: number | null | undefined, unit: MetricUnit, lang: Lang): string {
  if (value === null || value === undefined) return '–';
  const digits = (max: number, style: 'decimal' | 'percent' = 'decimal') =>
    new Intl.NumberFormat(LOCALE[lang], {
      style,
      minimumFractionDigits: 0,
      maximumFractionDigits: max,
    });
  switch (unit) {
    case 'ratio':
      return digits(1, 'percent').format(value);
    case 'sek':
      return `${digits(0).format(Math.round(value))} kr`;
    case 'days': {
      const days = digits(Math.abs(value) < 10 ? 1 : 0).format(value);
      return lang === 'sv' ? `${days} dagar` : `${days} days`;
    }
    case 'times': {
      const times = digits(1).format(value);
      return lang === 'sv' ? `${times} ggr` : `${times}×`;
    }
  }
}

/** The benchmark answers the page receives, read from the finance API responses. */
function benchmarkAnswers(page: Page): BenchmarkResult[] {
  const answers: BenchmarkResult[] = [];
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/finance/') || !response.ok()) return;
    const procedures = url.pathname.slice('/api/finance/'.length).split(',');
    const at = procedures.indexOf('benchmark');
    if (at < 0) return;
    // The finance client sends `benchmark` on its own (an object), other calls in batches.
    type Answer = { result?: { data?: unknown } };
    void response.json().then((body: Answer | Answer[]) => {
      const batch = Array.isArray(body) ? body : [body];
      answers.push(benchmarkResultSchema.parse(batch[at]?.result?.data));
    });
  });
  return answers;
}

/** Every request the browser makes (the page's and its service worker's) while `during` runs. */
async function requestsDuring<T>(page: Page, during: () => Promise<T>) {
  const seen: Request[] = [];
  const record = (request: Request) => seen.push(request);
  page.context().on('request', record);
  try {
    const result = await during();
    return { result, requests: seen };
  } finally {
    page.context().off('request', record);
  }
}

/**
 * A company uploads a real SIE export, opens the report from its dashboard and creates the
 * PDF in Swedish and in English. The PDF, read back in Node, holds the company, the fiscal
 * year, every key figure with its name, the company's own value and the peer quartiles
 * exactly as the benchmark answer gives them; making it sent nothing to the server.
 */
test('company: create the PDF report in Swedish and English, in the browser only', async ({
  page,
  server,
}, testInfo) => {
  test.setTimeout(240_000);
  const email = `rapport-${Date.now()}@example.se`;
  const password = 'rapporten skapas i webbläsaren och ingen annanstans';
  await companyWithProfile(page, server, { email, password, company: COMPANY });

  await page.getByRole('link', { name: 'Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  const result = page.getByTestId('file-result');
  await expect(result).toHaveAttribute('data-status', 'done');
  const panel = result.getByTestId('upload-panel');
  await expect(panel.getByRole('combobox')).toHaveValue(/.+/);
  await panel.getByRole('button', { name: 'Ladda upp' }).click();
  await expect(panel.getByTestId('upload-result')).toContainText('uppladdade');

  // The dashboard links to the report for the company and year it shows.
  await page.getByRole('link', { name: 'Jämförelse' }).click();
  await expect(page.getByTestId('benchmark-dashboard')).toBeVisible();
  const answers = benchmarkAnswers(page);
  await page.getByRole('link', { name: 'Ladda ner rapport (PDF)' }).click();
  await expect(page).toHaveURL(/\/reports\?t=[^&]+&year=\d{4}$/);
  await expect(page.getByRole('heading', { name: 'Rapport', exact: true })).toBeVisible();
  await expect(page.getByTestId('report-preview')).toBeVisible();
  await expect(page.getByTestId('report-create')).toBeEnabled();
  await expect.poll(() => answers.length).toBeGreaterThan(0);
  const answer = answers.at(-1)!;
  const year = answer.selected.year;
  await expect(page.getByTestId('report-year')).toHaveValue(String(year));
  await expect(page.getByTestId('report-overall')).toHaveText(
    String(answer.selected.overallIndex ?? '–'),
  );
  await expect(page.getByRole('link', { name: 'Rapporter' })).toHaveAttribute(
    'aria-current',
    'page',
  );

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/report.png'), fullPage: true });

  // The strict CSP stays quiet while the PDF is made: the library needs no eval.
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });

  for (const lang of ['sv', 'en'] as const) {
    await page.getByTestId('report-language').selectOption(lang);
    const started = performance.now();
    const { result: download, requests } = await requestsDuring(page, async () => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('report-create').click(),
      ]);
      await expect(page.getByTestId('report-ready')).toContainText(file.suggestedFilename());
      return file;
    });
    // Reported, never judged: click to saved PDF, the first time including the library load.
    testInfo.annotations.push({
      type: `report-${lang}-ms`,
      description: String(Math.round(performance.now() - started)),
    });

    // Nothing but the app's own code may be fetched while the report is made: no API call
    // (the benchmark answer is already on the page), nothing sent, nothing from elsewhere.
    const origin = new URL(server.url).origin;
    const described = requests.map((r) => `${r.method()} ${r.url()}`);
    for (const request of requests) {
      const url = new URL(request.url());
      expect(url.protocol === 'blob:' || url.origin === origin, described.join('\n')).toBe(true);
      if (url.protocol === 'blob:') continue;
      expect(request.method(), described.join('\n')).toBe('GET');
      expect(url.pathname, described.join('\n')).toMatch(/^\/_app\/immutable\//);
    }
    // The PDF library is loaded when the first report is made, not with the page.
    if (lang === 'sv') {
      expect(requests.some((r) => r.url().includes('/_app/immutable/'))).toBe(true);
    }

    expect(consoleErrors).toEqual([]);
    expect(download.suggestedFilename()).toBe(`Nyckel-Oresundsrapporten-AB-${year}.pdf`);
    await download.saveAs(testInfo.outputPath(`report-${lang}.pdf`));
    const bytes = new Uint8Array(await readFile((await download.path())!));
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { text, pages } = await pdfText(bytes);

    const words =
      lang === 'sv'
        ? { title: 'Nyckeltalsrapport', year: 'Räkenskapsår', overall: 'Totalindex' }
        : { title: 'Key figures report', year: 'Fiscal year', overall: 'Overall index' };
    expect(pages[0]).toContain(`${words.title} ${COMPANY}`);
    expect(pages[0]).toContain(`${words.year} ${year}`);
    expect(pages[0]).toContain(`${words.overall} ${year} ${answer.selected.overallIndex ?? '–'}`);
    if (answer.demo) expect(pages[0]).toContain(lang === 'sv' ? 'Demodata' : 'Demo data');

    // Every key figure the report lists, as one table row: name, the company's value,
    // p25, median, p75, index and n, each exactly as the answer gives it.
    const integer = new Intl.NumberFormat(LOCALE[lang]);
    const rows = answer.selected.items.filter(
      (item) =>
        (KEY_RATIO_IDS as readonly string[]).includes(item.id) &&
        (item.value !== null || item.group !== null),
    );
    expect(
      rows.filter((item) => item.group !== null && item.value !== null).length,
    ).toBeGreaterThan(5);
    for (const item of rows) {
      const metric = metricById(item.id)!;
      const line = [
        metric.name[lang],
        expectedNumber(item.value, metric.unit, lang),
        expectedNumber(item.p25, metric.unit, lang),
        expectedNumber(item.p50, metric.unit, lang),
        expectedNumber(item.p75, metric.unit, lang),
        item.index === null ? '–' : String(item.index),
        item.n === null || item.group === null ? '–' : integer.format(item.n),
      ].join(' ');
      expect(text).toContain(plainSpaces(line));
    }
  }
});
