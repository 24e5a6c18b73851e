import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/lib/core/account/account';
import { openOrgKey } from '../../src/lib/core/account/organisation';
import { createIdentityClient } from '../../src/lib/core/api/clients';
import { mailbox } from '../helpers/identity-http';
import { runNyckel } from '../helpers/cli';
import { startTestServer, type TestServer } from '../helpers/server';

/** The `nyckel` account and organisation commands, run as a user would, against a real server. */
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

const person = (name: string) => ({
  NYCKEL_EMAIL: `${name}-${crypto.randomUUID().slice(0, 6)}@example.se`,
  NYCKEL_PASSWORD: `${name} skriver ett långt lösenord i terminalen`,
});

describe('CLI: nyckel account / org', () => {
  const owner = person('owner');
  const member = person('member');

  it('account register prints the recovery code once; verify and login work', async () => {
    const registered = await nyckel(['account', 'register'], owner);
    expect(registered.code).toBe(0);
    const output = JSON.parse(registered.stdout) as { recoveryCode: string; fingerprint: string };
    expect(output.recoveryCode).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    const token = (await mail.next(owner.NYCKEL_EMAIL, 'verify')).token!;
    expect((await nyckel(['account', 'verify', '--token', token], {})).code).toBe(0);
    const loggedIn = await nyckel(['account', 'login'], owner);
    expect(loggedIn.code).toBe(0);
    expect(JSON.parse(loggedIn.stdout).user.email).toBe(owner.NYCKEL_EMAIL);
  });

  it('a weak password is refused on the device with a readable message', async () => {
    const weak = await nyckel(['account', 'register'], {
      ...person('weak'),
      NYCKEL_PASSWORD: 'kort',
    });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 12 characters/);
  });

  it('a wrong password gives one line and exit 1', async () => {
    const wrong = await nyckel(['account', 'login'], {
      ...owner,
      NYCKEL_PASSWORD: 'helt fel lösenord här',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('org create → invite → (accept) → confirm gives the member the key', async () => {
    const created = await nyckel(
      ['org', 'create', '--kind', 'company', '--name', 'CLI Bolaget AB', '--orgnr', '5566778899'],
      owner,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ orgNumber: '556677-8899', kind: 'company' });

    const memberRegistered = await nyckel(['account', 'register'], member);
    expect(memberRegistered.code).toBe(0);
    const memberFingerprint = (JSON.parse(memberRegistered.stdout) as { fingerprint: string })
      .fingerprint;
    await nyckel(
      ['account', 'verify', '--token', (await mail.next(member.NYCKEL_EMAIL, 'verify')).token!],
      {},
    );
    const invited = await nyckel(['org', 'invite', member.NYCKEL_EMAIL], owner);
    expect(invited.code).toBe(0);

    // The invitee accepts (in the app); the admin confirms from the terminal.
    const api = createIdentityClient({ baseUrl: server.url });
    const session = await login(
      { api },
      { email: member.NYCKEL_EMAIL, password: member.NYCKEL_PASSWORD },
    );
    await api.org.acceptInvite.mutate({
      token: (await mail.next(member.NYCKEL_EMAIL, 'invite')).token!,
    });
    // Without the fingerprint the CLI refuses and shows the one to compare.
    const unconfirmed = await nyckel(['org', 'confirm', member.NYCKEL_EMAIL], owner);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain(`--fingerprint ${memberFingerprint}`);
    const wrong = await nyckel(
      ['org', 'confirm', member.NYCKEL_EMAIL, '--fingerprint', 'AAAA-BBBB-CCCC-DDDD'],
      owner,
    );
    expect(wrong.code).toBe(1);
    const confirmed = await nyckel(
      [
        'org',
        'confirm',
        member.NYCKEL_EMAIL,
        '--org',
        '556677-8899',
        '--fingerprint',
        memberFingerprint,
      ],
      owner,
    );
    expect(confirmed.stderr).toBe('');
    expect(confirmed.code).toBe(0);
    const membership = (await api.me.query()).memberships[0]!;
    expect(membership.status).toBe('active');
    expect(await openOrgKey(session, membership)).not.toBeNull();
  });

  it('an invalid organisation number is refused before anything is sent', async () => {
    const bad = await nyckel(
      ['org', 'create', '--kind', 'company', '--name', 'X', '--orgnr', '556677-8890'],
      owner,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not a valid organisation number/);
  });
});
