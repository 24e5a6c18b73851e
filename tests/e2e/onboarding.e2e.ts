import { companyWithProfile } from './company';
import { expect, test } from './fixtures';

/**
 * First run: a visitor sees how Nyckel works and can try the bundled sample file (marked as
 * sample data, key ratios computed on the device, never uploaded); a new company sees its
 * checklist advance.
 */
test('a visitor tries the sample file; a new company follows its checklist', async ({
  page,
  server,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  const guide = page.getByTestId('onboarding');
  await expect(guide.getByRole('heading', { name: 'Kom igång' })).toBeVisible();
  await expect(guide.getByTestId('onboarding-step')).toHaveCount(4);

  await guide.getByTestId('onboarding-sample').click();
  const result = page.getByTestId('file-result');
  await expect(result).toHaveAttribute('data-status', 'done');
  await expect(result.getByTestId('sample-badge')).toHaveText('Exempeldata');
  await expect(result.getByTestId('company-name')).toContainText('exempeldata');
  const ratios = result.getByTestId('local-ratios');
  await expect(ratios).toContainText('Soliditet');
  await expect(ratios.locator('[data-metric="equity_ratio"]')).toHaveText(/%$/);
  await expect(result.getByTestId('sample-no-upload')).toBeVisible();
  await expect(result.getByTestId('upload-panel')).toHaveCount(0);

  const email = `ny-${Date.now()}@example.se`;
  await companyWithProfile(page, server, {
    email,
    password: 'den nya användaren har ett långt lösenord',
    company: 'Nystartat AB',
  });
  await page.getByRole('link', { name: 'Översikt' }).click();
  await expect(guide.getByRole('heading', { name: 'Kom igång med Nystartat AB' })).toBeVisible();
  const steps = guide.getByTestId('onboarding-step');
  await expect(steps).toHaveCount(3);
  // The company and its profile exist: step one is done, the file is next.
  await expect(steps.nth(0)).toHaveClass(/done/);
  await expect(steps.nth(1)).toHaveClass(/next/);
});
