import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths, localToday, noticeStatus, type NoticeStatus } from '../../domain/contracts';
import { repoRoot } from '../helpers/server';
import { companyWithProfile } from './company';
import { expect, test } from './fixtures';

/**
 * Supplier agreements (issue #7): an electricity and a rent agreement entered offline are
 * queued sealed in IndexedDB (nothing readable there, nothing sent), synced when the browser is
 * back online, compared with the demo peers of their price area and county, listed by notice
 * date, and exported as an .ics file made in the browser.
 */
test('agreements: entered offline, synced, compared, notice dates and .ics', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(240_000);
  const email = `avtal-${Date.now()}@example.se`;
  const password = 'den som förhandlar elavtal har ett långt lösenord';
  await companyWithProfile(page, server, { email, password, company: 'Avtalsbolaget AB' });

  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/api/finance/')) {
      sent.push(`${request.url()}\n${request.postData() ?? ''}`);
    }
  });

  await page.getByRole('link', { name: 'Avtal', exact: true }).click();
  const agreementsPage = page.getByTestId('agreements-page');
  await expect(agreementsPage).toBeVisible();
  await expect(page.getByTestId('agreements-empty')).toBeVisible();

  // Dates relative to today, so the test means the same thing whenever it runs.
  const today = localToday();
  const thisMonth = today.slice(0, 7);
  const powerEnd = addMonths(thisMonth, 12);
  const rentEnd = addMonths(thisMonth, 6);
  const powerNotice = noticeStatus(
    { endMonth: powerEnd, noticeMonths: 3, renewalMonths: null },
    today,
  );
  // 9 months' notice on a term ending in 6 months: passed, so the 36-month renewal applies.
  const rentNotice = noticeStatus({ endMonth: rentEnd, noticeMonths: 9, renewalMonths: 36 }, today);
  const dateOf = (status: NoticeStatus) => (status.kind === 'notice' ? status.noticeBy : '');
  expect(rentNotice).toMatchObject({ kind: 'notice', renewals: 1 });

  await context.setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();

  // Electricity, offline.
  await page.getByRole('button', { name: 'Lägg till avtal' }).click();
  let form = page.getByTestId('agreement-form');
  await form.getByLabel('Kategori').selectOption('electricity');
  await form.getByLabel('Förbrukning per år (kWh/år)').fill('42000');
  await form.getByLabel('Årskostnad (kr)').fill('58000');
  await form.getByLabel('Elområde').selectOption('SE4');
  await form.getByLabel('Prismodell').selectOption('variable');
  await form.getByLabel('Startmånad').fill(addMonths(thisMonth, -12));
  await form.getByLabel('Slutmånad').fill(powerEnd);
  await form.getByLabel('Uppsägningstid (månader)').fill('3');
  await form.getByLabel('Leverantör').fill('Kraftbolaget Syd AB');
  await form.getByLabel('Anteckningar').fill('Kontakt: Sigrid, rabattkod ELX-77');
  await expect(form.getByTestId('unit-price-preview')).toHaveText('Jämförpris: 138 öre/kWh');
  await form.getByRole('button', { name: 'Spara avtal' }).click();
  await expect(form).toHaveCount(0);

  // Premises rent, offline.
  await page.getByRole('button', { name: 'Lägg till avtal' }).click();
  form = page.getByTestId('agreement-form');
  await form.getByLabel('Kategori').selectOption('rent');
  await form.getByLabel('Yta (m²)').fill('120');
  await form.getByLabel('Årskostnad (kr)').fill('180000');
  await form.getByRole('combobox', { name: 'Län', exact: true }).selectOption('07');
  await form.getByLabel('Prismodell').selectOption('indexed');
  await form.getByLabel('Startmånad').fill(addMonths(rentEnd, -35));
  await form.getByLabel('Slutmånad').fill(rentEnd);
  await form.getByLabel('Uppsägningstid (månader)').fill('9');
  await form.getByLabel('Förlängs automatiskt med (månader)').fill('36');
  await form.getByLabel('Leverantör').fill('Fastighets AB Lunden');
  await form.getByRole('button', { name: 'Spara avtal' }).click();
  await expect(form).toHaveCount(0);

  const rows = page.getByTestId('agreement-row');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-state', 'queued');
    await expect(row.getByTestId('agreement-state')).toHaveText('Köad – sparas när du är online');
  }
  // The notice dates are known at once, offline.
  await expect(page.getByTestId('notice-item')).toHaveCount(2);
  expect(sent.filter((s) => s.includes('contracts.save'))).toEqual([]);

  // P9: IndexedDB holds ciphertext only.
  const records = await page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('nyckel-contract-drafts');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('drafts').objectStore('drafts').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            resolve(all.result as unknown[]);
            db.close();
          };
        };
      }),
  );
  expect(records).toHaveLength(2);
  const stored = JSON.stringify(records);
  for (const secret of [
    'Kraftbolaget',
    'Sigrid',
    'ELX-77',
    'Lunden',
    '58000',
    '180000',
    'electricity',
    'SE4',
  ]) {
    expect(stored).not.toContain(secret);
  }
  expect(Object.keys(records[0] as object).sort()).toEqual(
    ['attempts', 'createdAt', 'id', 'parts', 'refused', 'userId'].sort(),
  );

  // Online again: both are sent (sealed), saved and compared with the demo peers.
  await context.setOffline(false);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  }
  const saves = sent.filter((s) => s.includes('contracts.save'));
  expect(saves).toHaveLength(2);
  for (const secret of ['Kraftbolaget', 'Sigrid', 'ELX-77', 'Lunden']) {
    expect(saves.join('\n')).not.toContain(secret);
  }
  await expect
    .poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)))
    .not.toContain('nyckel-contract-drafts');

  const power = page.locator('[data-testid="agreement-row"][data-category="electricity"]');
  const rent = page.locator('[data-testid="agreement-row"][data-category="rent"]');
  await expect(power).toContainText('El – Kraftbolaget Syd AB');
  await expect(power.getByTestId('agreement-unit-price')).toHaveText('138 öre/kWh');
  await expect(power.getByTestId('agreement-median')).toContainText('öre/kWh');
  await expect(power.getByTestId('agreement-group')).toContainText('elområde SE4');
  await expect(power.getByTestId('agreement-index')).toHaveText(/^\d{1,3}$/);
  await expect(rent).toContainText('Lokalhyra – Fastighets AB Lunden');
  await expect(rent.getByTestId('agreement-unit-price')).toHaveText('1 500 kr/m²/år');
  await expect(rent.getByTestId('agreement-median')).toContainText('kr/m²/år');
  await expect(rent.getByTestId('agreement-group')).toContainText(/Kronoberg|hela landet/);
  await expect(page.getByTestId('agreements-demo')).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({
    path: join(repoRoot, 'docs/screenshots/agreements.png'),
    fullPage: true,
  });

  // Notice dates, the most urgent first.
  const expected = [
    { name: 'El – Kraftbolaget Syd AB', date: dateOf(powerNotice) },
    { name: 'Lokalhyra – Fastighets AB Lunden', date: dateOf(rentNotice) },
  ].sort((a, b) => a.date.localeCompare(b.date));
  const items = page.getByTestId('notice-item');
  await expect(items).toHaveCount(2);
  for (const [i, item] of expected.entries()) {
    await expect(items.nth(i)).toHaveAttribute('data-date', item.date);
    await expect(items.nth(i)).toContainText(item.name);
  }

  // The .ics file is made in the browser.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-ics').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('nyckel-uppsagningsdatum.ics');
  const ics = readFileSync((await file.path())!, 'utf8');
  expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  expect(unfolded.match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(2);
  for (const item of expected) {
    expect(unfolded).toContain(`DTSTART;VALUE=DATE:${item.date.replace(/-/g, '')}\r\n`);
  }
  expect(unfolded).toContain('SUMMARY:Sista dag att säga upp: El – Kraftbolaget Syd AB\r\n');
  expect(unfolded).toMatch(/^UID:notice-[0-9a-f-]{36}@nyckel\r$/m);
  for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  // Nothing about the export went to the server.
  expect(sent.some((s) => s.includes('BEGIN:VCALENDAR'))).toBe(false);

  // The dashboard shows the agreements too, before any fiscal year is uploaded.
  await page.getByRole('link', { name: 'Jämförelse' }).click();
  const section = page.getByTestId('dashboard-agreements');
  await expect(section.getByTestId('agreement-row')).toHaveCount(2);
  await expect(section.getByTestId('notice-item').first()).toHaveAttribute(
    'data-date',
    expected[0]!.date,
  );

  // End the rent agreement (no more renewal): its notice date has passed, it runs out.
  await page.getByRole('link', { name: 'Avtal', exact: true }).click();
  await rent.getByRole('button', { name: 'Avsluta' }).click();
  const endForm = page.getByTestId('end-form');
  await endForm.getByLabel('Sista månad').fill(rentEnd);
  await endForm.getByRole('button', { name: 'Avsluta avtalet' }).click();
  await expect(rent).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  await expect(page.locator('[data-testid="notice-item"][data-kind="expiring"]')).toContainText(
    'Lokalhyra – Fastighets AB Lunden',
  );

  // Delete it: gone here and on the server.
  page.once('dialog', (dialog) => void dialog.accept());
  await rent.getByRole('button', { name: 'Radera' }).click();
  await expect(rent).toHaveCount(0, { timeout: 30_000 });
  expect(sent.filter((s) => s.includes('contracts.remove'))).toHaveLength(1);
  // An agreement whose notice date is this month: the app reminds at once (in-app banner).
  await page.getByRole('button', { name: 'Lägg till avtal' }).click();
  form = page.getByTestId('agreement-form');
  await form.getByLabel('Kategori').selectOption('it');
  await form.getByLabel('Användare (st)').fill('8');
  await form.getByLabel('Årskostnad (kr)').fill('48000');
  await form.getByLabel('Slutmånad').fill(addMonths(thisMonth, 1));
  await form.getByLabel('Uppsägningstid (månader)').fill('1');
  await form.getByLabel('Förlängs automatiskt med (månader)').fill('12');
  await form.getByLabel('Leverantör').fill('Molntjänsten AB');
  await form.getByRole('button', { name: 'Spara avtal' }).click();
  const reminder = page.getByTestId('notice-reminder');
  await expect(reminder).toBeVisible({ timeout: 30_000 });
  await expect(reminder).toContainText('IT och programvara – Molntjänsten AB');
  await expect(reminder).toContainText('Avtalsbolaget AB');

  // Read back from the server by the dashboard: electricity and IT are left, IT most urgent.
  await page.getByRole('link', { name: 'Jämförelse' }).click();
  await expect(section.getByTestId('agreement-row')).toHaveCount(2);
  await expect(section.locator('[data-category="rent"]')).toHaveCount(0);
  await expect(section.getByTestId('notice-item').first()).toContainText('Molntjänsten AB');
});
