import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from '../helpers/server';
import { companyWithProfile } from './company';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');

/** Serious and critical axe-core violations of the page as it is now (WCAG 2.1 A/AA rules). */
async function seriousViolations(page: Page, screen: string) {
  const result = await new AxeBuilder({ page })
    // Inside a chart's role="img" wrapper only the wrapper's label counts; its SVG is drawing.
    .exclude('[role="img"] svg')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) – ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/**
 * axe-core on every main screen, in Swedish and in English, signed out and signed in: no
 * serious or critical violation anywhere.
 */
test('every main screen passes axe-core without serious or critical violations', async ({
  page,
  server,
}) => {
  test.setTimeout(420_000);
  const found: string[] = [];
  const check = async (screen: string) => found.push(...(await seriousViolations(page, screen)));

  for (const path of ['/', '/login', '/register', '/forgot', '/files']) {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
    await check(path);
  }
  await page.goto('/files?sample=1');
  await expect(page.getByTestId('file-result')).toHaveAttribute('data-status', 'done');
  await check('/files (sample parsed)');

  await companyWithProfile(page, server, {
    email: `a11y-${Date.now()}@example.se`,
    password: 'tillgänglighet kräver ett långt lösenord',
    company: 'Tillgängligt AB',
  });
  await check('/org/[orgId]');
  await page.getByRole('link', { name: 'Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  const result = page.getByTestId('file-result');
  await expect(result).toHaveAttribute('data-status', 'done');
  await result.getByTestId('upload-panel').getByRole('button', { name: 'Ladda upp' }).click();
  await expect(result.getByTestId('upload-result')).toContainText('uppladdade');
  await check('/files (uploaded)');

  // In-app navigation: a reload would lock the keys (they live in memory only).
  const open = async (link: string, screen: string) => {
    await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
    await expect(page.locator('main')).toBeVisible();
    await check(`${screen} (signed in)`);
  };
  await open('Översikt', '/');
  await open('Organisationer', '/org');
  await page.getByTestId('who').click();
  await expect(page.getByTestId('account-email')).toBeVisible();
  await check('/account');
  await page.getByRole('navigation').getByRole('link', { name: 'Jämförelse' }).click();
  await expect(page.getByTestId('benchmark-dashboard')).toBeVisible();
  await check('/dashboard');

  // The same screens in English.
  await page.getByRole('button', { name: 'EN' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await check('/dashboard (en)');

  expect(found).toEqual([]);
});
