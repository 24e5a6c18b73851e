import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliAgainstServer } from '../helpers/cli';
import { repoRoot } from '../helpers/server';

/** `nyckel org profile`, `org client add`, `upload` and `years` against a real server. */
const corpus = join(repoRoot, '../shared/sie-corpus');
const cli = cliAgainstServer();
const nyckel = cli.nyckel;
const account = (name: string) =>
  cli.account(name, 'laddar upp från terminalen med ett långt lösenord');

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
