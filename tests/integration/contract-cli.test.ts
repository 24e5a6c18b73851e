import { describe, expect, it } from 'vitest';
import { noticeStatus, localToday } from '../../domain/contracts';
import { cliAgainstServer } from '../helpers/cli';

/**
 * `nyckel contract add|list|remove` against a real server, as a user runs them. Every run is
 * a fresh process with its own Argon2id login, hence the long timeouts.
 */
const cli = cliAgainstServer();
const nyckel = cli.nyckel;
const account = (name: string) =>
  cli.account(name, 'registrerar avtal från terminalen med ett långt lösenord');

interface Listed {
  format: string;
  today: string;
  contracts: {
    id: string;
    category: string;
    supplier: string | null;
    notes: string | null;
    unitPrice: number;
    unit: string;
    terms: { endMonth: string | null; noticeMonths: number; renewalMonths: number | null };
    comparison: { contractId: string; group: unknown };
    notice: { kind: string; noticeBy?: string };
  }[];
}

describe('CLI: agreements', () => {
  it('a company adds agreements and lists them decrypted with unit price and notice date', async () => {
    const cfo = await account('avtal');
    const org = [
      'org',
      'create',
      '--kind',
      'company',
      '--name',
      'Avtal AB',
      '--orgnr',
      '556677-8899',
    ];
    expect((await nyckel(org, cfo)).code).toBe(0);
    expect((await nyckel(['org', 'profile', '--sni', '62010', '--county', '07'], cfo)).code).toBe(
      0,
    );

    const add = await nyckel(
      [
        'contract',
        'add',
        '--category',
        'electricity',
        '--quantity',
        '42000',
        '--annual-cost',
        '58000',
        '--price-area',
        'SE3',
        '--end',
        '2026-12',
        '--notice-months',
        '3',
        '--supplier',
        'Terminalkraft AB',
        '--notes',
        'Fastpris till årsskiftet',
      ],
      cfo,
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^Saved agreement [0-9a-f-]{36}: 138 öre\/kWh\./);

    const rent = await nyckel(
      [
        'contract',
        'add',
        '--category',
        'rent',
        '--quantity',
        '120',
        '--annual-cost',
        '180000',
        '--county',
        '07',
        '--start',
        '2024-04',
        '--end',
        '2027-03',
        '--notice-months',
        '9',
        '--renewal-months',
        '36',
        '--price-model',
        'indexed',
        '--json',
      ],
      cfo,
    );
    expect(rent.code).toBe(0);
    expect(JSON.parse(rent.stdout)).toMatchObject({ unitPrice: 1_500, unit: 'sek_per_m2_year' });

    const listed = await nyckel(['contract', 'list', '--json'], cfo);
    expect(listed.code).toBe(0);
    const json = JSON.parse(listed.stdout) as Listed;
    expect(json.format).toBe('nyckel.contracts/1');
    expect(json.today).toBe(localToday());
    const power = json.contracts.find((c) => c.category === 'electricity')!;
    expect(power).toMatchObject({
      supplier: 'Terminalkraft AB',
      notes: 'Fastpris till årsskiftet',
      unit: 'ore_per_kwh',
      terms: { endMonth: '2026-12', noticeMonths: 3, renewalMonths: null },
    });
    expect(power.unitPrice).toBeCloseTo((58_000 * 100) / 42_000, 9);
    expect(power.comparison.contractId).toBe(power.id);
    expect(power.notice).toEqual(
      noticeStatus({ endMonth: '2026-12', noticeMonths: 3, renewalMonths: null }, json.today),
    );
    const premises = json.contracts.find((c) => c.category === 'rent')!;
    expect(premises.notice).toEqual(
      noticeStatus({ endMonth: '2027-03', noticeMonths: 9, renewalMonths: 36 }, json.today),
    );
    expect(premises.notice.kind).toBe('notice');

    const text = await nyckel(['contract', 'list'], cfo);
    expect(text.stdout).toContain('Electricity – Terminalkraft AB');
    expect(text.stdout).toContain('1,500 SEK/m²/year');

    const removed = await nyckel(['contract', 'remove', '--id', power.id], cfo);
    expect(removed.code).toBe(0);
    const after = JSON.parse((await nyckel(['contract', 'list', '--json'], cfo)).stdout) as Listed;
    expect(after.contracts.map((c) => c.category)).toEqual(['rent']);
  }, 400_000);

  it('a bureau registers agreements per client; bad flags fail with a clear line', async () => {
    const bureau = await account('byra-avtal');
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
    for (const label of ['K-1', 'K-2']) {
      const add = await nyckel(
        ['org', 'client', 'add', '--label', label, '--sni', '43221', '--county', '12'],
        bureau,
      );
      expect(add.code).toBe(0);
    }
    const args = [
      'contract',
      'add',
      '--category',
      'it',
      '--quantity',
      '8',
      '--annual-cost',
      '48000',
    ];
    const noClient = await nyckel(args, bureau);
    expect(noClient.code).toBe(1);
    expect(noClient.stderr).toMatch(/--client/);
    expect(
      (await nyckel([...args, '--client', 'K-2', '--supplier', 'Molnet AB'], bureau)).code,
    ).toBe(0);
    const k1 = JSON.parse(
      (await nyckel(['contract', 'list', '--client', 'K-1', '--json'], bureau)).stdout,
    ) as Listed;
    const k2 = JSON.parse(
      (await nyckel(['contract', 'list', '--client', 'K-2', '--json'], bureau)).stdout,
    ) as Listed;
    expect(k1.contracts).toEqual([]);
    expect(k2.contracts.map((c) => [c.supplier, c.unitPrice])).toEqual([['Molnet AB', 500]]);

    const bad = await nyckel(
      [
        'contract',
        'add',
        '--category',
        'electricity',
        '--quantity',
        '100',
        '--annual-cost',
        '50',
        '--client',
        'K-1',
      ],
      bureau,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/priceArea: required/);
    const unknown = await nyckel(
      ['contract', 'add', '--category', 'water', '--annual-cost', '1'],
      bureau,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/--category must be one of electricity/);
  }, 400_000);
});
