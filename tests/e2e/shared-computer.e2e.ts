import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { luhnValid } from '../../domain/org-number';
import { login, register } from '../../src/lib/core/account/account';
import { createOrganisation, openOrgKey } from '../../src/lib/core/account/organisation';
import { createFinanceClient, createIdentityClient } from '../../src/lib/core/api/clients';
import { deriveAccountSecrets, parseKdfParams } from '../../src/lib/core/crypto/index';
import { createEntity, openEntities } from '../../src/lib/core/finance/entities';
import { mailbox } from '../helpers/identity-http';
import { repoRoot, type TestServer } from '../helpers/server';
import { expect, test } from './fixtures';

const corpus = join(repoRoot, '../shared/sie-corpus');

/** A Luhn-valid organisation number `NNNNNN-NNNN` starting with `first9` digits. */
function orgNumberFrom(first9: string): string {
  const check = [...'0123456789'].find((d) => luhnValid(`${first9}${d}`))!;
  return `${first9.slice(0, 6)}-${first9.slice(6)}${check}`;
}

interface Account {
  email: string;
  password: string;
  recoveryCode: string;
}

/** A verified account made through the client core (the app's own protocol). */
async function account(server: TestServer, email: string, password: string): Promise<Account> {
  const api = createIdentityClient({ baseUrl: server.url });
  const { recoveryCode } = await register({ api }, { email, password });
  const verify = await mailbox(server.dataDir).next(email, 'verify');
  await api.verifyEmail.mutate({ token: verify.token! });
  return { email, password, recoveryCode };
}

async function logIn(page: Page, who: Account) {
  await page.goto('/login');
  await page.getByLabel('E-postadress').fill(who.email);
  await page.getByLabel('Lösenord').fill(who.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByTestId('who')).toHaveText(who.email, { timeout: 60_000 });
}

interface StorageDump {
  indexedDb: Record<string, Record<string, unknown[]>>;
  local: Record<string, string>;
  session: Record<string, string>;
  caches: Record<string, { url: string; body: string }[]>;
  cryptoKeys: number;
}

/**
 * Every storage API a page can read, in full: all IndexedDB databases with every record of
 * every store (binary values as text, CryptoKeys counted), localStorage, sessionStorage, and
 * every CacheStorage entry with its body.
 */
const dumpStorage = (page: Page): Promise<StorageDump> =>
  page.evaluate(async () => {
    let cryptoKeys = 0;
    const plain = (value: unknown): unknown => {
      if (value instanceof CryptoKey) {
        cryptoKeys += 1;
        return '[CryptoKey]';
      }
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        const bytes =
          value instanceof ArrayBuffer
            ? new Uint8Array(value)
            : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        return String.fromCharCode(...bytes);
      }
      if (Array.isArray(value)) return value.map(plain);
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
      }
      return value;
    };
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const indexedDb: Record<string, Record<string, unknown[]>> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await request(indexedDB.open(name));
      const stores: Record<string, unknown[]> = {};
      for (const store of Array.from(db.objectStoreNames)) {
        const tx = db.transaction(store);
        const values = await request(tx.objectStore(store).getAll());
        const keys = await request(tx.objectStore(store).getAllKeys());
        stores[store] = [...keys.map(plain), ...values.map(plain)];
      }
      db.close();
      indexedDb[name] = stores;
    }
    const caches_: Record<string, { url: string; body: string }[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      caches_[name] = [];
      for (const entry of await cache.keys()) {
        const response = await cache.match(entry);
        caches_[name].push({ url: entry.url, body: response ? await response.text() : '' });
      }
    }
    return {
      indexedDb,
      local: { ...localStorage },
      session: { ...sessionStorage },
      caches: caches_,
      cryptoKeys,
    };
  });

const cookiesOf = async (context: BrowserContext) => JSON.stringify(await context.cookies());

/**
 * A shared office computer (P9): user A works — a company with a profile and a bureau client,
 * an uploaded corpus file, the dashboard, an upload queued offline — and logs out (offline,
 * so the logout completes once the connection returns). Then every storage API of the page
 * is dumped and searched for A's e-mail, names, org numbers, client label, file name, every
 * group sum of the upload, the password, the recovery code and key material. User B logs in
 * on the same page and sees nothing of A; A's queued upload, still sealed, is sent at A's
 * next login.
 */
test('shared computer: after logout nothing of user A is readable, and user B sees nothing of A', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(360_000);
  const stamp = Date.now();
  const a = await account(
    server,
    `anna-delad-${stamp}@example.se`,
    'anna delar dator med andra och har ett långt lösenord',
  );
  const b = await account(
    server,
    `bertil-${stamp}@example.se`,
    'bertil kommer efter anna på datorn',
  );

  // A's organisations, made with the client core before A opens the app.
  const company = { name: `Delad Dator ${stamp} AB`, orgNumber: orgNumberFrom('559011234') };
  const bureau = { name: `Räknebyrån ${stamp}`, orgNumber: orgNumberFrom('559022345') };
  const clientLabel = `KUND-${stamp}-Lindqvist`;
  const identity = createIdentityClient({ baseUrl: server.url });
  const finance = createFinanceClient({ baseUrl: server.url });
  const coreSession = await login({ api: identity }, { email: a.email, password: a.password });
  const profile = { sni: '620', employeeBand: '10-19', county: '07' } as const;
  const companyOrg = await createOrganisation({ api: identity }, coreSession, {
    kind: 'company',
    ...company,
  });
  await createEntity(
    { identity, finance },
    { orgId: companyOrg.orgId, orgKey: companyOrg.orgKey, keyVersion: 1 },
    { profile },
  );
  const bureauOrg = await createOrganisation({ api: identity }, coreSession, {
    kind: 'bureau',
    ...bureau,
  });
  await createEntity(
    { identity, finance },
    { orgId: bureauOrg.orgId, orgKey: bureauOrg.orgKey, keyVersion: 1 },
    { profile, label: clientLabel },
  );

  await logIn(page, a);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  // A uploads a corpus file to the company, online.
  await page.getByRole('link', { name: 'Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  const result = page.getByTestId('file-result');
  await expect(result).toHaveAttribute('data-status', 'done');
  await result.getByText('Det här skulle lämna din dator').click();
  const payload = JSON.parse((await result.getByTestId('payload-json').textContent())!) as {
    years: { end: string; result: Record<string, number>; balance: Record<string, number> }[];
  };
  const fileCompany = (await result.getByTestId('company-name').textContent())!
    .split('(')[0]!
    .trim();
  const panel = result.getByTestId('upload-panel');
  await expect(panel.getByRole('combobox')).toContainText(clientLabel);
  await panel.getByRole('combobox').selectOption({ label: company.name });
  await panel.getByRole('button', { name: 'Ladda upp' }).click();
  await expect(panel.getByTestId('upload-result')).toContainText('uppladdade');

  // A opens the dashboard.
  await page.getByRole('link', { name: 'Jämförelse' }).click();
  await expect(page.getByTestId('benchmark-dashboard')).toBeVisible();

  // Offline, A prepares the file again and queues its upload.
  await page.getByRole('link', { name: 'Filer' }).click();
  await page.getByTestId('file-input').setInputFiles(join(corpus, 'Sie4.se'));
  await expect(result).toHaveAttribute('data-status', 'done');
  await context.setOffline(true);
  await panel.getByRole('combobox').selectOption({ label: company.name });
  await panel.getByRole('button', { name: 'Ladda upp' }).click();
  await expect(panel.getByTestId('upload-result')).toHaveText('Köad – laddas upp när du är online');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-queued', '1');

  // A logs out while offline; the session cookie is ended as soon as the server is back.
  const sessionCookies = async () =>
    (await context.cookies()).filter((c) => c.name.includes('session')).length;
  expect(await sessionCookies()).toBe(1);
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('who')).toHaveCount(0);
  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'true');
  await expect.poll(sessionCookies, { timeout: 30_000 }).toBe(0);
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('nyckel.logout-pending')))
    .toBeNull();

  // What A's own keys would have opened, to look for it in the dump.
  const kdf = parseKdfParams((await identity.preLogin.query({ email: a.email })).kdf);
  const { authKey } = await deriveAccountSecrets(a.password, kdf);
  const me = await identity.me.query();
  const entities = (
    await Promise.all(
      me.memberships.map(async (m) =>
        openEntities({ identity }, { orgId: m.orgId, orgKey: (await openOrgKey(coreSession, m))! }),
      ),
    )
  ).flat();
  expect(entities).toHaveLength(2);

  const sums = [
    ...new Set(
      payload.years
        .flatMap((y) => [...Object.values(y.result), ...Object.values(y.balance)])
        .filter((v) => Math.abs(v) >= 100),
    ),
  ];
  expect(sums.length).toBeGreaterThan(5);
  const secrets = [
    a.email,
    a.email.split('@')[0]!,
    company.name,
    bureau.name,
    company.orgNumber,
    company.orgNumber.replace('-', ''),
    bureau.orgNumber,
    bureau.orgNumber.replace('-', ''),
    clientLabel,
    'Sie4.se',
    fileCompany,
    a.password,
    a.recoveryCode,
    a.recoveryCode.replace(/-/g, ''),
    authKey,
    ...me.memberships.map((m) => m.orgId),
    ...entities.flatMap((e) => [e.financeEntityId, e.capability, e.entityKey, e.linkId]),
  ];

  const dump = await dumpStorage(page);
  const cookies = await cookiesOf(context);

  // IndexedDB: only sealed records remain — A's queued upload (its random user id is in clear,
  // as docs/THREAT-MODEL.md says); the offline-unlock record and cached answers went with the
  // logout. No key object is stored anywhere.
  expect(Object.keys(dump.indexedDb).sort()).toEqual(['nyckel-drafts']);
  expect(dump.cryptoKeys).toBe(0);
  const readable = JSON.stringify({
    indexedDb: dump.indexedDb,
    local: dump.local,
    session: dump.session,
    cookies,
  });
  for (const secret of [...secrets, ...payload.years.map((y) => y.end)]) {
    expect(readable, `found ${secret}`).not.toContain(secret);
  }
  // A figure as a number of its own (base64 ciphertext may contain digit runs by chance).
  for (const sum of sums) {
    const standalone = new RegExp(`(?<![0-9A-Za-z_.-])${sum}(?![0-9A-Za-z_])`);
    expect(readable, `found ${sum}`).not.toMatch(standalone);
  }
  for (const key of Object.keys(dump.local)) expect(key).toBe('nyckel.locale');
  expect(dump.session).toEqual({});

  // CacheStorage: only the app shell — every entry a file of the build, byte for byte, and
  // never an API answer.
  const shellCaches = Object.keys(dump.caches);
  expect(shellCaches).toHaveLength(1);
  expect(shellCaches[0]).toMatch(/^nyckel-shell-/);
  const entries = dump.caches[shellCaches[0]!]!;
  expect(entries.length).toBeGreaterThan(5);
  for (const entry of entries) {
    const path = new URL(entry.url).pathname;
    expect(path).not.toMatch(/^\/(api|healthz|readyz|metrics)/);
    for (const secret of secrets) expect(entry.body, `${path}: ${secret}`).not.toContain(secret);
    if (path === '/') continue;
    const file = join(repoRoot, 'build', decodeURIComponent(path));
    expect(statSync(file).isFile(), path).toBe(true);
    expect(entry.body, path).toBe(readFileSync(file, 'utf8'));
  }

  // User B on the same page: logs in and finds nothing of A anywhere in the app.
  await logIn(page, b);
  const body = page.locator('body');
  for (const link of ['Översikt', 'Jämförelse', 'Filer', 'Organisationer']) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByTestId('who')).toHaveText(b.email);
    for (const secret of [
      a.email,
      company.name,
      bureau.name,
      clientLabel,
      'Sie4.se',
      fileCompany,
    ]) {
      await expect(body).not.toContainText(secret);
    }
  }
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-queued', '0');
  await expect(page.getByTestId('queued-upload')).toHaveCount(0);

  // "Switch user": B leaves, the login page shows nothing of B; A's sealed upload is sent at
  // A's next login, so a logout never loses queued work.
  await page.getByRole('button', { name: 'Byt användare' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(body).not.toContainText(b.email);
  await logIn(page, a);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-queued', '0', {
    timeout: 30_000,
  });
  await expect
    .poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)))
    .not.toContain('nyckel-drafts');
});
