import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { addMonths, localToday, monthOfDate } from '../../domain/contract-notice';
import { login } from '../../src/lib/core/account/account';
import { openOrgKey } from '../../src/lib/core/account/organisation';
import { createFinanceClient, createIdentityClient } from '../../src/lib/core/api/clients';
import { saveContract } from '../../src/lib/core/finance/contracts';
import { openEntities } from '../../src/lib/core/finance/entities';
import { repoRoot } from '../helpers/server';
import { signedIn } from './company';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');

/**
 * Five real exports of five different companies (distinct org numbers), each mapped to its
 * own client, with fiscal years from 2009 to 2021 (the demo population has peers 2008–2025).
 */
const CLIENTS = [
  { label: '1001', file: 'BL0001_typ4.SE', sni: '85592', county: '01', employees: '4' },
  {
    label: '1002',
    file: 'Bokslut%20Norstedts%20SIE%204E.se',
    sni: '62010',
    county: '12',
    employees: '9',
  },
  { label: '1003', file: 'Sie4.se', sni: '47110', county: '14', employees: '12' },
  { label: '1004', file: 'Sie%203%20+%204.se', sni: '41200', county: '07', employees: '3' },
  {
    label: '1010',
    file: 'SIE4_Exempelfil_med_underdim.SE',
    sni: '69201',
    county: '03',
    employees: '6',
  },
];
/** The newest fiscal year in each file (by the calendar year it ends in). */
const NEWEST_YEAR: Record<string, number> = {
  '1001': 2010,
  '1002': 2010,
  '1003': 2014,
  '1004': 2014,
  '1010': 2021,
};

const texts = (locator: Locator) => locator.allInnerTexts().then((all) => all.map((t) => t.trim()));

async function overallIndices(page: Page): Promise<number[]> {
  return (await texts(page.getByTestId('client-overall'))).map(Number);
}

/**
 * A bureau from registration to the console: creates the bureau, adds five clients, batch
 * imports five SIE files of five companies, and finds every client in one table — with
 * indices, sortable, filterable, exportable as CSV made in the browser, each row a way into
 * that client's dashboard.
 */
test('bureau: registration, five clients, batch import of five files, the console', async ({
  page,
  server,
}) => {
  test.setTimeout(300_000);
  const email = `byra-konsol-${Date.now()}@example.se`;
  const password = 'konsolens handläggare har ett långt lösenord';
  await signedIn(page, server, { email, password });

  // No bureau yet: no console in the menu.
  await expect(page.getByRole('link', { name: 'Byråöversikt' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Organisationer' }).click();
  await page.getByRole('radio', { name: 'Redovisningsbyrå' }).check();
  await page.getByLabel('Namn').fill('Konsolbyrån Redovisning');
  await page.getByLabel('Organisationsnummer').fill('556677-8899');
  await page.getByRole('button', { name: 'Skapa', exact: true }).click();

  // A bureau without clients: the console says what to do next.
  await page.getByRole('link', { name: 'Byråöversikt' }).click();
  const empty = page.getByTestId('bureau-empty');
  await expect(empty).toHaveAttribute('data-reason', 'no-clients');
  await expect(empty.getByRole('link', { name: 'Batchimport' })).toBeVisible();
  await empty.getByRole('link', { name: 'Lägg till klienter' }).click();

  const clientsCard = page.getByTestId('bureau-clients');
  for (const client of CLIENTS) {
    await clientsCard.getByLabel('Kundnummer eller etikett').fill(client.label);
    await clientsCard.getByLabel('SNI-kod (5 siffror)').fill(client.sni);
    await clientsCard.getByLabel('Län').selectOption(client.county);
    await clientsCard.getByLabel('Antal anställda').fill(client.employees);
    await clientsCard.getByRole('button', { name: 'Lägg till klient' }).click();
    await expect(clientsCard.getByRole('status')).toHaveText(`Klient ${client.label} är tillagd.`);
  }
  await expect(clientsCard.getByTestId('client-label')).toHaveCount(CLIENTS.length);

  // Batch import: five files, each parsed here and mapped to its client, then uploaded.
  await clientsCard.getByRole('link', { name: 'Importera många filer' }).click();
  await expect(page.getByRole('heading', { name: 'Batchimport' })).toBeVisible();
  await page.getByTestId('file-input').setInputFiles(CLIENTS.map((c) => join(corpus, c.file)));
  const row = (file: string) => page.locator(`[data-testid="batch-row"][data-file="${file}"]`);
  for (const client of CLIENTS) {
    await expect(row(client.file)).toHaveAttribute('data-state', 'unmatched', { timeout: 60_000 });
    await row(client.file).getByRole('combobox').selectOption({ label: client.label });
  }
  await expect(page.getByTestId('batch-summary')).toHaveText(
    '5 filer · 5 kopplade · 0 utan klient',
  );
  await page.getByTestId('batch-upload').click();
  for (const client of CLIENTS) {
    await expect(row(client.file)).toHaveAttribute('data-state', 'uploaded', { timeout: 30_000 });
  }

  // Client 1002 has an agreement whose last day to give notice is at the end of this month
  // (entered with the bureau's keys through the client core, as the agreements page does).
  const api = createIdentityClient({ baseUrl: server.url });
  const session = await login({ api }, { email, password });
  const bureau = (await api.me.query()).memberships.find((m) => m.kind === 'bureau')!;
  const orgKey = (await openOrgKey(session, bureau))!;
  const entities = await openEntities({ identity: api }, { orgId: bureau.orgId, orgKey });
  const endMonth = addMonths(monthOfDate(localToday()), 1);
  await saveContract(
    createFinanceClient({ baseUrl: server.url }),
    entities.find((e) => e.label === '1002')!,
    {
      terms: {
        category: 'accounting',
        quantity: 1,
        annualCost: 48_000,
        startMonth: addMonths(endMonth, -23),
        endMonth,
        noticeMonths: 1,
        renewalMonths: null,
        priceModel: null,
        priceArea: null,
        county: null,
      },
      private: { supplier: 'Revisorerna AB', notes: '', details: {} },
    },
  );

  // The console, from the bureau's client list.
  await page.getByRole('link', { name: 'Konsolbyrån Redovisning' }).click();
  await page.getByTestId('to-bureau-console').click();
  await expect(page.getByRole('heading', { name: 'Byråöversikt', level: 1 })).toBeVisible();
  await expect(page.getByTestId('bureau-progress')).toHaveText('5 av 5 klienter hämtade', {
    timeout: 60_000,
  });
  const rows = page.getByTestId('bureau-row');
  await expect(rows).toHaveCount(5);
  await expect(page.getByTestId('bureau-count')).toHaveText('Visar 5 av 5 klienter');
  await expect(page.getByTestId('demo-label')).toBeVisible();

  // Every client: its newest year, an overall index 0–100 and the peer group's size.
  await expect(page.getByTestId('client-link')).toHaveText([
    '1001',
    '1002',
    '1003',
    '1004',
    '1010',
  ]);
  for (const client of CLIENTS) {
    const r = page.locator(`[data-testid="bureau-row"][data-label="${client.label}"]`);
    await expect(r).toHaveAttribute('data-state', 'benchmarked');
    await expect(r.getByTestId('client-year')).toHaveText(String(NEWEST_YEAR[client.label]));
    const overall = Number(await r.getByTestId('client-overall').innerText());
    expect(overall).toBeGreaterThanOrEqual(0);
    expect(overall).toBeLessThanOrEqual(100);
    expect(Number(await r.getByTestId('client-peers').innerText())).toBeGreaterThanOrEqual(10);
  }

  const noticeAlert = page
    .locator('[data-testid="bureau-row"][data-label="1002"]')
    .locator('.alert[data-kind="notice-soon"]');
  await expect(noticeAlert).toContainText('Avtal med uppsägningsdatum inom 60 dagar');
  await expect(page.locator('.alert[data-kind="notice-soon"]')).toHaveCount(1);

  // Sort by the overall index: header buttons say how the column is sorted.
  const overallHeader = page.getByRole('columnheader', { name: /Totalindex/ });
  await expect(overallHeader).toHaveAttribute('aria-sort', 'none');
  await page.getByTestId('sort-overall').click();
  await expect(overallHeader).toHaveAttribute('aria-sort', 'ascending');
  const ascending = await overallIndices(page);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  // …and by keyboard.
  await page.getByTestId('sort-overall').focus();
  await page.keyboard.press('Enter');
  await expect(overallHeader).toHaveAttribute('aria-sort', 'descending');
  const descending = await overallIndices(page);
  expect(descending).toEqual([...ascending].reverse());
  await expect(page.getByRole('columnheader', { name: /Kundnummer/ })).toHaveAttribute(
    'aria-sort',
    'none',
  );

  // No serious or critical accessibility violation (WCAG 2.1 A/AA rules).
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);

  // 1280 px wide, tall enough for the five rows (the header may be wider than the page).
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/bureau-console.png') });
  // The table fits a 1280 px laptop screen: no sideways scrolling.
  const table = page.getByTestId('bureau-table');
  expect(
    await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth),
  ).toBe(0);

  // Filters: by customer number, by year, by alerts.
  await page.getByTestId('filter-text').fill('100');
  await expect(page.getByTestId('client-link')).toHaveCount(4);
  await page.getByTestId('filter-text').fill('1010');
  await expect(page.getByTestId('client-link')).toHaveText(['1010']);
  await page.getByTestId('filter-text').fill('');
  await page.getByTestId('filter-year').selectOption('2014');
  await expect(page.getByTestId('client-link')).toHaveCount(2);
  expect((await texts(page.getByTestId('client-link'))).sort()).toEqual(['1003', '1004']);
  await expect(page.getByTestId('client-year')).toHaveText(['2014', '2014']);
  // An older year of a client is shown from its history: 1001's 2009.
  await page.getByTestId('filter-year').selectOption('2009');
  expect((await texts(page.getByTestId('client-link'))).sort()).toEqual(['1001', '1002']);
  await expect(page.getByTestId('client-year')).toHaveText(['2009', '2009']);
  await page.getByTestId('filter-year').selectOption('');
  const withAlerts = await rows.filter({ has: page.locator('.alert') }).count();
  await page.getByTestId('filter-alerts').check();
  await expect(page.getByTestId('bureau-count')).toHaveText(`Visar ${withAlerts} av 5 klienter`);
  await page.getByTestId('filter-alerts').uncheck();

  // CSV of exactly the rows shown, made in the browser: no request leaves while it is made.
  await page.getByTestId('filter-text').fill('10');
  await page.getByTestId('filter-year').selectOption('2010');
  const shownLabels = await texts(page.getByTestId('client-link'));
  const shownIndices = await overallIndices(page);
  expect(shownLabels.length).toBe(2);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const downloading = page.waitForEvent('download');
  await page.getByTestId('bureau-csv').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^Nyckel-klienter-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines.at(-1)).toBe('');
  const [header, ...body] = lines.slice(0, -1).map((line) => line.split(';'));
  expect(header).toEqual([
    'Kundnummer',
    'Räkenskapsår',
    'Totalindex',
    'Nettomarginal (%)',
    'Nettomarginal, index',
    'Soliditet (%)',
    'Soliditet, index',
    'Kassalikviditet (%)',
    'Kassalikviditet, index',
    'Företag i gruppen',
    'Att titta på',
  ]);
  expect(body.map((cells) => cells[0])).toEqual(shownLabels);
  expect(body.map((cells) => cells[1])).toEqual(['2010', '2010']);
  expect(body.find((cells) => cells[0] === '1002')!.at(-1)).toContain(
    'Avtal med uppsägningsdatum inom 60 dagar',
  );
  expect(body.map((cells) => Number(cells[2]))).toEqual(shownIndices);
  for (const cells of body) {
    // Percentages with a decimal comma, e.g. "12,3" or "-4,0".
    for (const value of [cells[3], cells[5], cells[7]].filter((v) => v !== '')) {
      expect(value).toMatch(/^-?\d+,\d$/);
    }
  }
  expect(requests.filter((url) => !url.startsWith('blob:'))).toEqual([]);

  // A row leads to that client's dashboard, which shows the same overall index. Fetched
  // again first, until two fetches 3 s apart agree: the peer statistics refresh
  // NYCKEL_STATS_REFRESH_MS (2 s) after a change, which may move an index between two reads.
  await page.getByTestId('filter-text').fill('');
  await page.getByTestId('filter-year').selectOption('');
  const target = page.locator('[data-testid="bureau-row"][data-label="1003"]');
  const fetchIndex1003 = async () => {
    await page.getByTestId('bureau-refresh').click();
    await expect(page.getByTestId('bureau-refresh')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('bureau-progress')).toHaveText('5 av 5 klienter hämtade');
    return target.getByTestId('client-overall').innerText();
  };
  let index1003 = await fetchIndex1003();
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await page.waitForTimeout(3_000);
    const again = await fetchIndex1003();
    if (again === index1003) break;
    index1003 = again;
  }
  await target.getByRole('link', { name: 'Öppna jämförelsen för klient 1003' }).click();
  await expect(page).toHaveURL(/\/dashboard\?t=[0-9a-f-]{36}$/);
  await expect(page.getByTestId('benchmark-target')).toHaveValue(
    new URL(page.url()).searchParams.get('t')!,
  );
  await expect(page.getByTestId('benchmark-target').locator('option:checked')).toContainText(
    '1003',
  );
  await expect(page.getByTestId('overall-index')).toHaveText(index1003);
});
