import { join } from 'node:path';
import { login } from '../../src/lib/core/account/account';
import { openOrgKey } from '../../src/lib/core/account/organisation';
import { createFinanceClient, createIdentityClient } from '../../src/lib/core/api/clients';
import { listYears, openEntities } from '../../src/lib/core/finance/entities';
import { repoRoot } from '../helpers/server';
import { companyWithProfile } from './company';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');

/**
 * Offline upload: the reviewed payload is written to IndexedDB as a draft sealed with the
 * user's key (nothing readable there, P9), shown in the upload queue, and sent by itself as
 * soon as the browser is back online.
 */
test('offline: the upload is queued encrypted and sent when back online', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(180_000);
  const email = `offline-${Date.now()}@example.se`;
  const password = 'den som köar offline har ett långt lösenord';
  await companyWithProfile(page, server, { email, password, company: 'Köbolaget AB' });

  const uploads: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('uploadYears')) {
      uploads.push(request.postData() ?? '');
    }
  });

  await page.getByRole('link', { name: 'Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  const result = page.getByTestId('file-result');
  await expect(result).toHaveAttribute('data-status', 'done');
  await result.getByText('Det här skulle lämna din dator').click();
  const reviewed = JSON.parse((await result.getByTestId('payload-json').textContent())!) as {
    years: { end: string; result: Record<string, number>; balance: Record<string, number> }[];
  };
  const companyName = (await result.getByTestId('company-name').textContent())!
    .split('(')[0]!
    .trim();
  const panel = result.getByTestId('upload-panel');
  await expect(panel.getByRole('combobox')).toHaveValue(/.+/);

  // Offline: the upload is queued, not lost, and nothing is sent.
  await context.setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await panel.getByRole('button', { name: 'Ladda upp' }).click();
  await expect(panel.getByTestId('upload-result')).toHaveText('Köad – laddas upp när du är online');
  const queue = page.getByTestId('upload-queue');
  await expect(queue.getByTestId('queued-upload')).toHaveCount(1);
  await expect(queue.getByTestId('queued-upload')).toContainText('Sie4.se');
  await expect(queue.getByTestId('queued-upload')).toContainText('Köbolaget AB');
  await expect(queue.getByTestId('queued-upload')).toHaveAttribute('data-state', 'queued');
  expect(uploads).toEqual([]);

  // P9: what IndexedDB holds is ciphertext; nothing from the file or the target is readable.
  const records = await page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('nyckel-drafts');
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
  expect(records).toHaveLength(1);
  const stored = JSON.stringify(records);
  const firstYear = reviewed.years[0]!;
  const sums = [...Object.values(firstYear.result), ...Object.values(firstYear.balance)]
    .filter((v) => Math.abs(v) >= 1000)
    .map(String);
  expect(sums.length).toBeGreaterThan(0);
  for (const secret of [
    companyName,
    'Köbolaget',
    'Sie4.se',
    firstYear.end,
    'nyckel.finance-payload',
    ...sums,
  ]) {
    expect(stored).not.toContain(secret);
  }
  const record = records[0] as Record<string, unknown>;
  expect(Object.keys(record).sort()).toEqual(
    ['attempts', 'createdAt', 'id', 'parts', 'refused', 'userId'].sort(),
  );

  // Back online: the queue sends itself, empties and shows the upload as done.
  await context.setOffline(false);
  await expect(queue.getByTestId('queued-upload')).toHaveCount(0, { timeout: 30_000 });
  await expect(queue.getByTestId('uploaded-draft')).toContainText('Uppladdad');
  expect(uploads).toHaveLength(1);
  const sent = JSON.parse(uploads[0]!) as Record<string, unknown>;
  const input = ('0' in sent ? sent['0'] : sent) as { payload: unknown };
  expect(input.payload).toEqual(reviewed);

  // Nothing is left: with the queue empty, the queue database itself is deleted.
  await expect
    .poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)))
    .not.toContain('nyckel-drafts');

  // The finance store has the years: read back with the member's own keys, as the app does.
  const api = createIdentityClient({ baseUrl: server.url });
  const session = await login({ api }, { email, password });
  const me = await api.me.query();
  const membership = me.memberships.find((m) => m.name === 'Köbolaget AB')!;
  const orgKey = (await openOrgKey(session, membership))!;
  const [entity] = await openEntities({ identity: api }, { orgId: membership.orgId, orgKey });
  const years = await listYears(createFinanceClient({ baseUrl: server.url }), entity!);
  expect(years.map((y) => y.end).sort()).toEqual(reviewed.years.map((y) => y.end).sort());
});
