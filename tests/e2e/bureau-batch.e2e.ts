import { join } from 'node:path';
import { login } from '../../src/lib/core/account/account';
import { openOrgKey } from '../../src/lib/core/account/organisation';
import { createFinanceClient, createIdentityClient } from '../../src/lib/core/api/clients';
import { listYears, openEntities } from '../../src/lib/core/finance/entities';
import { repoRoot } from '../helpers/server';
import { signedIn } from './company';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');
/** Two real exports of two companies (org numbers 556265-1892 and 556639-1537)… */
const FIRST = 'BL0001_typ4.SE';
const SECOND = 'Bokslut%20Norstedts%20SIE%204E.se';
/** …and a second export of the first company, dropped while offline. */
const THIRD = 'BL0001_typ2.SE';

/**
 * A bureau adds two clients, drops two SIE files, maps each to its client and uploads; then,
 * offline, drops a third file of a known company: it is matched by the bureau's own local
 * mapping (never guessed), queued encrypted, and uploaded once the browser is back online.
 */
test('bureau: batch import with a local client mapping, online and offline', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(240_000);
  const email = `byra-${Date.now()}@example.se`;
  const password = 'byråns handläggare har ett långt lösenord';
  await signedIn(page, server, { email, password });

  await page.getByRole('link', { name: 'Organisationer' }).click();
  await page.getByRole('radio', { name: 'Redovisningsbyrå' }).check();
  await page.getByLabel('Namn').fill('Siffer & Co Redovisning');
  await page.getByLabel('Organisationsnummer').fill('556677-8899');
  await page.getByRole('button', { name: 'Skapa', exact: true }).click();
  await page.getByRole('link', { name: 'Öppna' }).click();

  const clientsCard = page.getByTestId('bureau-clients');
  for (const client of [
    { label: '1001', sni: '62010', county: '01', employees: '4' },
    { label: '1002', sni: '47110', county: '12', employees: '9' },
  ]) {
    await clientsCard.getByLabel('Kundnummer eller etikett').fill(client.label);
    await clientsCard.getByLabel('SNI-kod (5 siffror)').fill(client.sni);
    await clientsCard.getByLabel('Län').selectOption(client.county);
    await clientsCard.getByLabel('Antal anställda').fill(client.employees);
    await clientsCard.getByRole('button', { name: 'Lägg till klient' }).click();
    await expect(clientsCard.getByRole('status')).toHaveText(`Klient ${client.label} är tillagd.`);
  }
  await expect(clientsCard.getByTestId('client-label')).toHaveText(['1001', '1002']);

  await clientsCard.getByRole('link', { name: 'Importera många filer' }).click();
  await expect(page.getByRole('heading', { name: 'Batchimport' })).toBeVisible();
  await expect(page.getByTestId('batch-empty')).toBeVisible();

  // Two files of two unknown companies: both listed as unmatched, nothing guessed.
  await page.getByTestId('file-input').setInputFiles([join(corpus, FIRST), join(corpus, SECOND)]);
  const row = (file: string) => page.locator(`[data-testid="batch-row"][data-file="${file}"]`);
  await expect(row(FIRST)).toHaveAttribute('data-state', 'unmatched');
  await expect(row(SECOND)).toHaveAttribute('data-state', 'unmatched');
  await expect(page.getByTestId('unmatched-file')).toHaveText([FIRST, SECOND]);
  await expect(page.getByTestId('batch-upload')).toBeDisabled();

  await row(FIRST).getByRole('combobox').selectOption({ label: '1001' });
  await row(SECOND).getByRole('combobox').selectOption({ label: '1002' });
  await expect(page.getByTestId('unmatched-list')).toHaveCount(0);
  await expect(page.getByTestId('batch-summary')).toHaveText(
    '2 filer · 2 kopplade · 0 utan klient',
  );
  await page.getByTestId('batch-upload').click();
  await expect(row(FIRST)).toHaveAttribute('data-state', 'uploaded');
  await expect(row(SECOND)).toHaveAttribute('data-state', 'uploaded');

  // The mapping stays on this device, sealed: no org number or name is readable there.
  const mapRecords = await page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('nyckel-client-map');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('maps').objectStore('maps').getAll();
          all.onsuccess = () => resolve(all.result as unknown[]);
          all.onerror = () => reject(all.error);
        };
      }),
  );
  expect(mapRecords).toHaveLength(1);
  const storedMap = JSON.stringify(mapRecords);
  for (const secret of ['5562651892', '556265-1892', '5566391537', '1001', '1002', 'org:']) {
    expect(storedMap).not.toContain(secret);
  }

  // Offline: a third file of the first company is recognised and queued, not lost.
  await context.setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await page.getByTestId('file-input').setInputFiles(join(corpus, THIRD));
  await expect(row(THIRD)).toHaveAttribute('data-state', 'mapped');
  await expect(row(THIRD).getByTestId('batch-status')).toHaveText('Känd – kopplad automatiskt');
  await expect(row(THIRD).getByRole('combobox')).toHaveValue(/.+/);
  await page.getByTestId('batch-upload').click();
  await expect(row(THIRD)).toHaveAttribute('data-state', 'queued');
  const queue = page.getByTestId('upload-queue');
  await expect(queue.getByTestId('queued-upload')).toHaveCount(1);
  await expect(queue.getByTestId('queued-upload')).toContainText(THIRD);
  await expect(queue.getByTestId('queued-upload')).toContainText('klient 1001');

  // Back online: the queue sends itself and the row shows the upload.
  await context.setOffline(false);
  await expect(row(THIRD)).toHaveAttribute('data-state', 'uploaded', { timeout: 30_000 });
  await expect(queue.getByTestId('queued-upload')).toHaveCount(0);

  // The finance store has the years of both clients, read back with the bureau's own keys.
  const api = createIdentityClient({ baseUrl: server.url });
  const session = await login({ api }, { email, password });
  const me = await api.me.query();
  const bureau = me.memberships.find((m) => m.kind === 'bureau')!;
  const orgKey = (await openOrgKey(session, bureau))!;
  const clients = await openEntities({ identity: api }, { orgId: bureau.orgId, orgKey });
  const finance = createFinanceClient({ baseUrl: server.url });
  const yearsOf = async (label: string) =>
    listYears(
      finance,
      clients.find((c) => c.label === label)!,
    );
  expect((await yearsOf('1001')).length).toBeGreaterThan(0);
  expect((await yearsOf('1002')).length).toBeGreaterThan(0);
});
