import { join } from 'node:path';
import { repoRoot } from '../helpers/server';
import { companyWithProfile } from './company';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');

/**
 * Offline after the first visit (issue #8): a user who logged in online here unlocks with the
 * password while the server is unreachable — from the lock screen, and after a reload from the
 * login page — using only the keys this device keeps sealed; prepares a file, queues its
 * upload, and reads the last benchmark, marked as an offline copy. A wrong password is refused
 * offline exactly as online. Back online, the session is confirmed and the queue is sent.
 */
test('offline: unlock with the password, prepare a file, queue an upload, read the cached dashboard', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(300_000);
  const email = `offline-unlock-${Date.now()}@example.se`;
  const password = 'den som reser utan nät har ett långt lösenord';
  await companyWithProfile(page, server, { email, password, company: 'Tågresan AB' });
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  // Online: one year uploaded, the dashboard fetched once (and kept sealed on this device).
  await page.getByRole('link', { name: 'Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  const uploaded = page.getByTestId('file-result');
  await expect(uploaded).toHaveAttribute('data-status', 'done');
  const firstPanel = uploaded.getByTestId('upload-panel');
  await expect(firstPanel.getByRole('combobox')).toHaveValue(/.+/);
  await firstPanel.getByRole('button', { name: 'Ladda upp' }).click();
  await expect(firstPanel.getByTestId('upload-result')).toContainText('uppladdade');
  await page.getByRole('link', { name: 'Jämförelse' }).click();
  await expect(page.getByTestId('benchmark-dashboard')).toBeVisible();
  const overall = (await page.getByTestId('overall-index').textContent())!.trim();
  await expect(page.getByTestId('benchmark-cached')).toHaveCount(0);
  const status = page.getByTestId('sync-status');
  await expect(status).toHaveAttribute('data-online', 'true');

  // Lock, lose the connection, and unlock with what this device keeps.
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await context.setOffline(true);
  await expect(status).toHaveAttribute('data-online', 'false');
  await expect(page.getByTestId('lock-offline')).toBeVisible();
  // While offline no API call may get an answer (none is ever served from a cache).
  const answeredOffline: string[] = [];
  let offline = true;
  page.on('requestfinished', (request) => {
    if (offline && request.url().includes('/api/')) answeredOffline.push(request.url());
  });

  await page.getByLabel('Lösenord').fill('fel lösenord helt och hållet');
  await page.getByRole('button', { name: 'Lås upp' }).click();
  await expect(page.getByRole('alert')).toHaveText('Fel lösenord.', { timeout: 60_000 });
  await expect(page.getByTestId('lock-screen')).toBeVisible();

  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Lås upp' }).click();
  await expect(page.getByTestId('lock-screen')).toHaveCount(0, { timeout: 60_000 });

  // The dashboard comes from the device's sealed copy, marked with its date and as offline.
  const cached = page.getByTestId('benchmark-cached');
  await expect(cached).toBeVisible();
  await expect(cached).toContainText('offline');
  await expect(cached).toContainText(String(new Date().getFullYear()));
  await expect(page.getByTestId('overall-index')).toHaveText(overall);
  await page.getByTestId('sync-toggle').click();
  await expect(page.getByTestId('sync-detail')).toContainText('upplåst med nycklar sparade');
  await page.keyboard.press('Escape');

  // Offline file preparation: parsed in the worker, the upload queued (sealed) for later.
  await page.getByRole('link', { name: 'Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  const prepared = page.getByTestId('file-result');
  await expect(prepared).toHaveAttribute('data-status', 'done');
  const panel = prepared.getByTestId('upload-panel');
  await expect(panel.getByRole('combobox')).toHaveValue(/.+/);
  await expect(panel.getByRole('combobox')).toContainText('Tågresan AB');
  await panel.getByRole('button', { name: 'Ladda upp' }).click();
  await expect(panel.getByTestId('upload-result')).toHaveText('Köad – laddas upp när du är online');
  await expect(status).toHaveAttribute('data-queued', '1');
  await expect(status).toContainText('1 uppladdning i kö');

  // A reload while offline: the shell comes from the service worker, and the login page
  // unlocks from this device too. A wrong password there is refused like online.
  await page.reload();
  await page.goto('/login');
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill('inte alls mitt lösenord');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Fel e-postadress eller lösenord.', {
    timeout: 60_000,
  });
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByTestId('who')).toHaveText(email, { timeout: 60_000 });
  await page.getByRole('link', { name: 'Jämförelse' }).click();
  await expect(page.getByTestId('benchmark-cached')).toBeVisible();
  await expect(page.getByTestId('overall-index')).toHaveText(overall);

  expect(answeredOffline).toEqual([]);

  // Back online: the server confirms the session, the cache is refreshed, the queue is sent.
  offline = false;
  await context.setOffline(false);
  await expect(status).toHaveAttribute('data-online', 'true');
  await expect(status).toHaveAttribute('data-queued', '0', { timeout: 30_000 });
  await expect(status).toContainText('Allt är skickat');
  await page.getByTestId('benchmark-level').selectOption('all');
  await expect(page.getByTestId('benchmark-dashboard')).toBeVisible();
  await expect(page.getByTestId('benchmark-cached')).toHaveCount(0);

  // "Forget me on this device", with the keyboard only: everything of the user goes.
  const databases = () =>
    page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
  await expect.poll(databases).toEqual(['nyckel-offline']);
  await page.getByTestId('sync-toggle').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sync-toggle')).toHaveAttribute('aria-expanded', 'true');
  await page.getByTestId('forget-device').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('forget-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('inga just nu');
  await dialog.getByRole('button', { name: 'Glöm mig och logga ut' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('who')).toHaveCount(0);
  await expect.poll(databases).toEqual([]);
});
