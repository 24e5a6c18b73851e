import { expect, test } from './fixtures';

test.describe('app shell', () => {
  test('home page shows both stores healthy via the typed tRPC client', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Nyckel' })).toBeVisible();
    for (const store of ['identity', 'finance']) {
      const card = page.getByTestId(`store-${store}`);
      await expect(card).toHaveAttribute('data-ok', 'true');
      await expect(card).toContainText('Fungerar');
    }
  });

  test('language switches to English and back, and the choice is remembered', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Tjänstens status' })).toBeVisible();
    await page.getByRole('button', { name: 'EN' }).click();
    await expect(page.getByRole('heading', { name: 'Service status' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Service status' })).toBeVisible();
    await page.getByRole('button', { name: 'SV' }).click();
    await expect(page.getByRole('heading', { name: 'Tjänstens status' })).toBeVisible();
  });

  test('service worker is active and the shell renders offline after the first visit', async ({
    page,
    context,
    disposableServer: server,
  }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('store-identity')).toHaveAttribute('data-ok', 'true');
    await expect
      .poll(() =>
        page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state ?? 'none'),
      )
      .toBe('activated');
    // The worker claims the open page on activation, so it controls it without a reload.
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Nyckel' })).toBeVisible();
    await expect(page.getByTestId('offline-banner')).toBeVisible();
    await expect(page.getByTestId('status-unreachable')).toBeVisible();

    // Stronger than emulation: with the server really gone, the shell still comes from cache.
    await server.stop();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Nyckel' })).toBeVisible();
  });
});

test.describe('new version', () => {
  test('a deployed update is announced and applied on request', async ({ browser }) => {
    const { cpSync, mkdtempSync, appendFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startTestServer, repoRoot } = await import('../helpers/server');
    const staticDir = mkdtempSync(join(tmpdir(), 'nyckel-static-'));
    cpSync(join(repoRoot, 'build'), staticDir, { recursive: true });
    let server = await startTestServer({ env: { NYCKEL_STATIC_DIR: staticDir } });
    const context = await browser.newContext({ baseURL: server.url });
    try {
      const page = await context.newPage();
      await page.goto('/');
      await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
      await expect(page.getByTestId('update-banner')).toHaveCount(0);

      // "Deploy" a new version: the service worker script changes byte-wise, and the
      // server restarts on the same address as it would in an upgrade.
      await server.stop();
      appendFileSync(join(staticDir, 'service-worker.js'), '\n// next release\n');
      server = await startTestServer({
        dataDir: server.dataDir,
        port: Number(new URL(server.url).port),
        env: { NYCKEL_STATIC_DIR: staticDir },
      });
      await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
      await expect(page.getByTestId('update-banner')).toBeVisible();

      const reloaded = page.waitForEvent('load');
      await page.getByRole('button', { name: 'Uppdatera nu' }).click();
      await reloaded;
      await expect(page.getByTestId('update-banner')).toHaveCount(0);
      const script = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
      expect(script).toContain('/service-worker.js');
    } finally {
      await context.close();
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
      rmSync(staticDir, { recursive: true, force: true });
    }
  });
});
