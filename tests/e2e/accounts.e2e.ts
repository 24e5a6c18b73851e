import { mailbox } from '../helpers/identity-http';
import { expect, test } from './fixtures';

/**
 * A person's first visit: register, keep the recovery code, confirm the address from the
 * mail, log in, create a company, be auto-locked and unlock; later forget the password and
 * get back in with the recovery code, still able to open the company's key.
 */
test('register, verify, log in, create a company, auto-lock, unlock, recover', async ({
  page,
  server,
}) => {
  test.setTimeout(180_000);
  const mail = mailbox(server.dataDir);
  const email = `anna-${Date.now()}@example.se`;
  const password = 'anna har ett långt lösenord för nyckel';
  await page.clock.install();

  await page.goto('/register');
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord', { exact: true }).fill(password);
  await page.getByLabel('Upprepa lösenordet').fill(password);
  await page.getByRole('button', { name: 'Skapa konto' }).click();

  const code = page.getByTestId('recovery-code');
  await expect(code).toBeVisible({ timeout: 60_000 });
  const recoveryCode = (await code.textContent())!.trim();
  expect(recoveryCode).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Ladda ner som textfil' }).click();
  expect((await download).suggestedFilename()).toContain('aterstallningskod');
  await expect(page.getByRole('button', { name: 'Fortsätt' })).toBeDisabled();
  await page.getByLabel('Jag har sparat återställningskoden').check();
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page.getByTestId('verify-sent')).toContainText(email);

  const verification = await mail.next(email, 'verify');
  await page.goto(`/verify?token=${verification.token}`);
  await expect(page.getByTestId('verify-state')).toHaveAttribute('data-state', 'done');

  await page.goto('/login');
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByTestId('account-email')).toHaveText(email, { timeout: 60_000 });
  await expect(page.getByTestId('fingerprint')).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

  await page.getByRole('link', { name: 'Organisationer' }).click();
  await page.getByLabel('Namn').fill('Annas Bageri AB');
  await page.getByLabel('Organisationsnummer').fill('556677-8899');
  await page.getByRole('button', { name: 'Skapa', exact: true }).click();
  await expect(page.getByTestId('org-card')).toContainText('Annas Bageri AB');
  await page.getByRole('link', { name: 'Öppna' }).click();
  await expect(page.getByTestId('org-key-open')).toBeVisible();

  // Ten idle minutes: the keys are dropped and the password is asked for again.
  await page.clock.fastForward('10:01');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('org-key-open')).toHaveCount(0);
  await page.getByLabel('Lösenord').fill('fel lösenord helt och hållet');
  await page.getByRole('button', { name: 'Lås upp' }).click();
  await expect(page.getByText('Fel lösenord.')).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Lås upp' }).click();
  await expect(page.getByTestId('org-key-open')).toBeVisible({ timeout: 60_000 });

  // Lock now, log out, and come back with the recovery code instead of the password.
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await page.getByRole('button', { name: 'Logga in som någon annan' }).click();
  await page.goto('/forgot');
  const newPassword = 'anna valde ett nytt lösenord efter återställning';
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Återställningskod').fill(recoveryCode.toLowerCase());
  await page.getByLabel('Nytt lösenord').fill(newPassword);
  await page.getByLabel('Upprepa lösenordet').fill(newPassword);
  await page.getByRole('button', { name: 'Byt lösenord' }).click();
  await expect(page.getByTestId('recovery-code')).toBeVisible({ timeout: 60_000 });
  expect((await page.getByTestId('recovery-code').textContent())!.trim()).not.toBe(recoveryCode);
  await page.getByLabel('Jag har sparat återställningskoden').check();
  await page.getByRole('button', { name: 'Fortsätt' }).click();

  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(newPassword);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByTestId('account-email')).toHaveText(email, { timeout: 60_000 });
  await page.getByRole('link', { name: 'Organisationer' }).click();
  await page.getByRole('link', { name: 'Öppna' }).click();
  await expect(page.getByTestId('org-key-open')).toBeVisible({ timeout: 30_000 });

  // P9: nothing readable about the user is left in browser storage.
  const stored = await page.evaluate(async () => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    sessionKeys: Object.keys(sessionStorage),
    databases: (await indexedDB.databases()).map((d) => d.name),
  }));
  expect(stored.local).not.toContain(email);
  expect(stored.session).not.toContain(email);
  // Only SvelteKit's own scroll positions live there.
  for (const key of stored.sessionKeys) expect(key).toMatch(/^sveltekit:/);
  // Only what offline unlock needs, sealed (tests/e2e/shared-computer.e2e.ts searches it).
  expect(stored.databases).toEqual(['nyckel-offline']);
});
