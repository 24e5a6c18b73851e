import type { Page } from '@playwright/test';
import { login, register } from '../../src/lib/core/account/account';
import { createIdentityClient } from '../../src/lib/core/api/clients';
import { mailbox } from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import { expect } from './fixtures';

/**
 * A verified account (made through the client core the app uses), logged in through the
 * UI and left on its account page.
 */
export async function signedIn(
  page: Page,
  server: TestServer,
  input: { email: string; password: string },
): Promise<void> {
  const api = createIdentityClient({ baseUrl: server.url });
  await register({ api }, { email: input.email, password: input.password });
  await api.verifyEmail.mutate({
    token: (await mailbox(server.dataDir).next(input.email, 'verify')).token!,
  });
  await login({ api }, { email: input.email, password: input.password });

  await page.goto('/login');
  await page.getByLabel('E-postadress').fill(input.email);
  await page.getByLabel('Lösenord').fill(input.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByTestId('account-email')).toHaveText(input.email, { timeout: 60_000 });
}

/** A signed-in account with a company whose benchmark profile is saved. */
export async function companyWithProfile(
  page: Page,
  server: TestServer,
  input: { email: string; password: string; company: string },
): Promise<void> {
  await signedIn(page, server, input);
  await page.getByRole('link', { name: 'Organisationer' }).click();
  await page.getByLabel('Namn').fill(input.company);
  await page.getByLabel('Organisationsnummer').fill('556677-8899');
  await page.getByRole('button', { name: 'Skapa', exact: true }).click();
  await page.getByRole('link', { name: 'Öppna' }).click();
  const profile = page.getByTestId('company-profile');
  await profile.getByLabel('SNI-kod (5 siffror)').fill('62010');
  await profile.getByLabel('Län').selectOption('07');
  await profile.getByLabel('Antal anställda').fill('12');
  await profile.getByRole('button', { name: 'Spara profil' }).click();
  await expect(profile.getByRole('status')).toHaveText('Profilen är sparad.');
}
