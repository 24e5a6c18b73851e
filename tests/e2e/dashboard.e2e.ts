import { join } from 'node:path';
import { repoRoot } from '../helpers/server';
import { companyWithProfile } from './company';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');

/**
 * A registered company uploads a real SIE export and opens its dashboard: the overall index,
 * every figure against the demo peers (labelled as demo data), the peer group used, a control
 * that widens the group, and the trend over its years.
 */
test('company: upload a corpus file and read the benchmark dashboard with demo peers', async ({
  page,
  server,
}) => {
  test.setTimeout(180_000);
  const email = `vd-${Date.now()}@example.se`;
  const password = 'verkställande direktören har ett långt lösenord';
  await companyWithProfile(page, server, { email, password, company: 'Jämförbolaget AB' });

  // Before any upload: give-to-get, the dashboard says what to do.
  await page.getByRole('link', { name: 'Jämförelse' }).click();
  await expect(page.getByTestId('benchmark-failure')).toHaveAttribute(
    'data-reason',
    'no-contribution',
  );
  await expect(page.getByTestId('benchmark-failure')).toContainText('minst ett räkenskapsår');

  await page.getByRole('link', { name: 'Gå till Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  const result = page.getByTestId('file-result');
  await expect(result).toHaveAttribute('data-status', 'done');
  const panel = result.getByTestId('upload-panel');
  await expect(panel.getByRole('combobox')).toHaveValue(/.+/);
  await panel.getByRole('button', { name: 'Ladda upp' }).click();
  await expect(panel.getByTestId('upload-result')).toContainText('uppladdade');

  await page.getByRole('link', { name: 'Jämförelse' }).click();
  const dashboard = page.getByTestId('benchmark-dashboard');
  await expect(dashboard).toBeVisible();
  await expect(page.getByTestId('demo-label')).toContainText('Demodata');
  await expect(page.getByTestId('overall-index')).toHaveText(/^\d{1,3}$/);
  const overall = Number(await page.getByTestId('overall-index').textContent());
  expect(overall).toBeGreaterThanOrEqual(0);
  expect(overall).toBeLessThanOrEqual(100);

  // Every key-ratio category has a chart and a table; a figure shows value, index and group.
  for (const [category, title] of [
    ['profitability', 'Lönsamhet'],
    ['liquidity', 'Likviditet'],
    ['solidity', 'Soliditet och kapital'],
  ] as const) {
    const card = page.getByTestId(`category-${category}`);
    await expect(card.getByRole('heading', { name: title })).toBeVisible();
    await expect(card.getByRole('img', { name: `${title}: ert värde` })).toBeVisible();
  }
  const equityRatio = page.locator('[data-testid="figure-row"][data-metric="equity_ratio"]');
  await expect(equityRatio.getByTestId('figure-value')).toHaveText(/%/);
  await expect(equityRatio.getByTestId('figure-index')).toHaveText(/^\d{1,3}$/);
  await expect(equityRatio).toContainText('företag');
  await expect(page.getByTestId('peer-group')).toContainText('2014');

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/dashboard.png'), fullPage: true });

  // Widening to all companies changes the group used.
  await page.getByTestId('benchmark-level').selectOption('all');
  await expect(page.getByTestId('peer-group')).toContainText('Alla branscher');
  // The row names only its group size where it uses the headline group.
  await expect(equityRatio).toContainText(/\d+ företag/);

  await expect(
    page.getByTestId('benchmark-trend').getByRole('img', { name: 'Utveckling över åren' }),
  ).toBeVisible();
});
