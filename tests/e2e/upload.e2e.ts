import { join } from 'node:path';
import { repoRoot } from '../helpers/server';
import { companyWithProfile } from './company';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');

/**
 * A company sets its benchmark profile, drops an SIE file, reviews the payload and uploads
 * it; the only request that carries figures goes to /api/finance, without cookies, and
 * holds exactly the reviewed payload.
 */
test('company: profile, drop a file, upload only the reviewed sums', async ({ page, server }) => {
  test.setTimeout(180_000);
  const email = `cfo-${Date.now()}@example.se`;
  const password = 'ekonomichefen har ett långt lösenord';
  await companyWithProfile(page, server, { email, password, company: 'Exempelbolaget AB' });

  const financeRequests: { url: string; body: string; cookie: string | undefined }[] = [];
  const financeGets: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/finance/') && request.method() !== 'POST') {
      financeGets.push(request.url());
    }
    if (request.method() === 'POST' && request.url().includes('/api/finance/')) {
      financeRequests.push({
        url: request.url(),
        body: request.postData() ?? '',
        cookie: request.headers()['cookie'],
      });
    }
  });

  await page.getByRole('link', { name: 'Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  const result = page.getByTestId('file-result');
  await expect(result).toHaveAttribute('data-status', 'done');
  await result.getByText('Det här skulle lämna din dator').click();
  const reviewed = JSON.parse((await result.getByTestId('payload-json').textContent())!);

  const panel = result.getByTestId('upload-panel');
  await expect(panel.getByRole('combobox')).toHaveValue(/.+/);
  // The file's own org number differs from the company's: the user is warned.
  await expect(panel.getByTestId('org-mismatch')).toBeVisible();
  await panel.getByRole('button', { name: 'Ladda upp' }).click();
  await expect(panel.getByTestId('upload-result')).toContainText('uppladdade');

  const upload = financeRequests.find((r) => r.url.includes('uploadYears'));
  expect(upload, 'an upload request').toBeDefined();
  expect(upload!.cookie).toBeUndefined();
  // Capabilities never travel in a URL.
  expect(financeGets).toEqual([]);
  for (const request of financeRequests) expect(request.url).not.toContain('capability');
  // httpBatchLink sends {"0": input} for a batch of one.
  const sent = JSON.parse(upload!.body) as Record<string, unknown>;
  const input = ('0' in sent ? sent['0'] : sent) as { payload: unknown };
  const payload = input.payload;
  expect(payload).toEqual(reviewed);
  const companyName = (await result.getByTestId('company-name').textContent())!
    .split('(')[0]!
    .trim();
  expect(upload!.body).not.toContain(companyName);
});
