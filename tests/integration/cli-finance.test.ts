import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailbox } from '../helpers/identity-http';
import { runNyckel } from '../helpers/cli';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/** `nyckel org profile`, `org client add`, `upload` and `years` against a real server. */
const corpus = join(repoRoot, '../shared/sie-corpus');
let server: TestServer;
let mail: ReturnType<typeof mailbox>;

beforeAll(async () => {
  server = await startTestServer();
  mail = mailbox(server.dataDir);
});
afterAll(async () => {
  await server.dispose();
});

const nyckel = (args: string[], env: Record<string, string>) =>
  runNyckel(args, { NYCKEL_SERVER: server.url, ...env });

async function account(name: string) {
  const env = {
    NYCKEL_EMAIL: `${name}-${crypto.randomUUID().slice(0, 6)}@example.se`,
    NYCKEL_PASSWORD: `${name} laddar upp från terminalen med ett långt lösenord`,
  };
  expect((await nyckel(['account', 'register'], env)).code).toBe(0);
  const token = (await mail.next(env.NYCKEL_EMAIL, 'verify')).token!;
  expect((await nyckel(['account', 'verify', '--token', token], {})).code).toBe(0);
  return env;
}

describe('CLI: uploads', () => {
  it('a company sets its profile, uploads a file and lists its years', async () => {
    const cfo = await account('cfo');
    const org = [
      'org',
      'create',
      '--kind',
      'company',
      '--name',
      'Terminal AB',
      '--orgnr',
      '556677-8899',
    ];
    expect((await nyckel(org, cfo)).code).toBe(0);
    const noProfile = await nyckel(['upload', join(corpus, 'Sie4.se')], cfo);
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toMatch(/profile/);
    const profile = await nyckel(
      ['org', 'profile', '--sni', '62010', '--county', '07', '--employees', '12'],
      cfo,
    );
    expect(profile.stderr).toBe('');
    expect(profile.code).toBe(0);
    const upload = await nyckel(['upload', join(corpus, 'Sie4.se'), '--employees', '12'], cfo);
    expect(upload.code).toBe(0);
    // Sie4.se belongs to another org number: the user is warned, the upload still happens.
    expect(upload.stderr).toMatch(/warning: the file is for org\. no\./);
    const years = await nyckel(['years', '--json'], cfo);
    expect(years.code).toBe(0);
    const list = JSON.parse(years.stdout) as { start: string; employees: number | null }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]!.employees).toBe(12);
  });

  it('a bureau adds a client by label and uploads for it', async () => {
    const bureau = await account('byra');
    const org = [
      'org',
      'create',
      '--kind',
      'bureau',
      '--name',
      'Byrån AB',
      '--orgnr',
      '556016-0680',
    ];
    expect((await nyckel(org, bureau)).code).toBe(0);
    const add = await nyckel(
      ['org', 'client', 'add', '--label', 'K-204', '--sni', '43221', '--county', '12'],
      bureau,
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const noClient = await nyckel(['upload', join(corpus, 'transaktioner_ovnbolag.se')], bureau);
    expect(noClient.code).toBe(1);
    expect(noClient.stderr).toMatch(/--client/);
    const upload = await nyckel(
      ['upload', join(corpus, 'transaktioner_ovnbolag.se'), '--client', 'K-204'],
      bureau,
    );
    expect(upload.code).toBe(0);
    const years = await nyckel(['years', '--client', 'K-204', '--json'], bureau);
    expect(JSON.parse(years.stdout).length).toBe(2);
  });
});
