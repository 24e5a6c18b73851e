import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changePassword,
  login,
  register,
  resetByEmail,
  resetWithRecoveryCode,
  unlock,
} from '../../src/lib/core/account/account';
import {
  confirmMember,
  createOrganisation,
  openOrgKey,
  removeMember,
} from '../../src/lib/core/account/organisation';
import { createIdentityClient } from '../../src/lib/core/api/clients';
import {
  b64uDecode,
  deriveAccountSecrets,
  newLinkSecrets,
  openLink,
  parseKdfParams,
  sealLink,
} from '../../src/lib/core/crypto/index';
import { mailbox } from '../helpers/identity-http';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/**
 * The whole account and organisation life cycle through the real client core (the code
 * the app and the CLI run) against the real server, then an inspection of the raw
 * identity database files for anything secret.
 */
let server: TestServer;
let mail: ReturnType<typeof mailbox>;

beforeAll(async () => {
  server = await startTestServer();
  mail = mailbox(server.dataDir);
});
afterAll(async () => {
  await server.dispose();
});

const api = () => createIdentityClient({ baseUrl: server.url });
const secretsSeen: { label: string; value: string | Uint8Array }[] = [];
const remember = (label: string, value: string | Uint8Array) => secretsSeen.push({ label, value });

async function newUser(name: string) {
  const email = `${name}-${crypto.randomUUID().slice(0, 6)}@example.se`;
  const password = `${name} har ett långt och eget lösenord ${crypto.randomUUID()}`;
  const client = api();
  const created = await register({ api: client }, { email, password });
  const verification = await mail.next(email, 'verify');
  await client.verifyEmail.mutate({ token: verification.token! });
  const session = await login({ api: client }, { email, password });
  remember(`${name} password`, password);
  remember(`${name} recovery code`, created.recoveryCode);
  const { kdf } = await client.preLogin.query({ email });
  remember(`${name} authKey`, (await deriveAccountSecrets(password, parseKdfParams(kdf))).authKey);
  return {
    email,
    password,
    client,
    session,
    recoveryCode: created.recoveryCode,
    fingerprint: created.fingerprint,
  };
}

const reasonOf = (error: unknown) =>
  error instanceof TRPCClientError ? (error.data as { reason?: string }).reason : String(error);

describe('accounts and organisations through the client core', () => {
  let alice: Awaited<ReturnType<typeof newUser>>;
  let bob: Awaited<ReturnType<typeof newUser>>;
  let carol: Awaited<ReturnType<typeof newUser>>;
  let orgId: string;
  const linkId = crypto.randomUUID();
  const linkSecret = { financeEntityId: crypto.randomUUID(), ...newLinkSecrets() };

  it('register → verify → login → create a company', async () => {
    alice = await newUser('alice');
    expect(alice.session.user.emailVerified).toBe(true);
    const created = await createOrganisation({ api: alice.client }, alice.session, {
      kind: 'company',
      name: 'Alice Konsult AB',
      orgNumber: '556677-8899',
      address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm' },
    });
    orgId = created.orgId;
    const me = await alice.client.me.query();
    const membership = me.memberships.find((m) => m.orgId === orgId)!;
    expect(membership).toMatchObject({ role: 'owner', status: 'active', keyVersion: 1 });
    const orgKey = await openOrgKey(alice.session, membership);
    expect(orgKey).not.toBeNull();
    // A link as the finance issue will store it: only the org key opens it.
    const link = await sealLink({
      orgKey: orgKey!,
      orgId,
      linkId,
      keyVersion: 1,
      link: linkSecret,
    });
    await alice.client.org.links.add.mutate({ orgId, linkId, keyVersion: 1, link });
    remember('capability', linkSecret.capability);
    remember('entityKey', linkSecret.entityKey);
    remember('capability bytes', b64uDecode(linkSecret.capability));
  });

  it('invite → accept → confirm: the new member can open the org key', async () => {
    bob = await newUser('bob');
    carol = await newUser('carol');
    for (const member of [bob, carol]) {
      await alice.client.org.invite.mutate({ orgId, email: member.email, role: 'member' });
      const invitation = await mail.next(member.email, 'invite');
      const accepted = await member.client.org.acceptInvite.mutate({ token: invitation.token! });
      expect(accepted.status).toBe('pending');
      // Pending: no key yet, and the link stays closed.
      const pending = (await member.client.me.query()).memberships.find((m) => m.orgId === orgId)!;
      expect(await openOrgKey(member.session, pending)).toBeNull();
      const members = await alice.client.org.members.query({ orgId });
      await confirmMember({ api: alice.client }, alice.session, {
        orgId,
        memberUserId: members.find((m) => m.email === member.email)!.userId,
        // Read out by the member from their own screen: an independent channel.
        expectedFingerprint: member.fingerprint,
      });
      const active = (await member.client.me.query()).memberships.find((m) => m.orgId === orgId)!;
      expect(active.status).toBe('active');
      const key = await openOrgKey(member.session, active);
      const [row] = await member.client.org.links.list.query({ orgId });
      expect(
        await openLink({ orgKey: key!, orgId, linkId, keyVersion: 1, envelope: row!.link }),
      ).toEqual(linkSecret);
    }
  });

  it('remove → rotate: the removed member’s old key opens nothing new', async () => {
    const bobMembership = (await bob.client.me.query()).memberships.find((m) => m.orgId === orgId)!;
    const bobOldKey = (await openOrgKey(bob.session, bobMembership))!;
    const members = await alice.client.org.members.query({ orgId });
    const bobId = members.find((m) => m.email === bob.email)!.userId;
    const { keyVersion } = await removeMember({ api: alice.client }, alice.session, {
      orgId,
      memberUserId: bobId,
      expectedRecipients: members.filter((m) => m.userId !== bobId).map((m) => m.userId),
    });
    expect(keyVersion).toBe(2);

    const [row] = await carol.client.org.links.list.query({ orgId });
    expect(row!.keyVersion).toBe(2);
    await expect(
      openLink({ orgKey: bobOldKey, orgId, linkId, keyVersion: 2, envelope: row!.link }),
    ).rejects.toThrow();
    const carolMembership = (await carol.client.me.query()).memberships.find(
      (m) => m.orgId === orgId,
    )!;
    const carolKey = (await openOrgKey(carol.session, carolMembership))!;
    expect(
      await openLink({ orgKey: carolKey, orgId, linkId, keyVersion: 2, envelope: row!.link }),
    ).toEqual(linkSecret);
    // Bob no longer sees the organisation at all.
    expect((await bob.client.me.query()).memberships.map((m) => m.orgId)).not.toContain(orgId);
    const error = await bob.client.org.links.list.query({ orgId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
  });

  it('change password: old password fails, new one unlocks the same keys', async () => {
    const next = `alice byter till ett nytt långt lösenord ${crypto.randomUUID()}`;
    remember('alice new password', next);
    await changePassword({ api: alice.client }, alice.session, {
      currentPassword: alice.password,
      newPassword: next,
    });
    await expect(
      login({ api: api() }, { email: alice.email, password: alice.password }),
    ).rejects.toSatisfy((e: unknown) => reasonOf(e) === 'LOGIN_FAILED');
    const again = await login({ api: alice.client }, { email: alice.email, password: next });
    const relocked = await unlock({ api: alice.client }, next);
    expect(relocked.keys.publicKey).toBe(again.keys.publicKey);
    const membership = (await alice.client.me.query()).memberships.find((m) => m.orgId === orgId)!;
    expect(await openOrgKey(again, membership)).not.toBeNull();
  });

  it('reset with the recovery code keeps the keys: the organisation still opens', async () => {
    const next = `carol glömde sitt lösenord men har koden ${crypto.randomUUID()}`;
    remember('carol new password', next);
    const { recoveryCode } = await resetWithRecoveryCode(
      { api: api() },
      { email: carol.email, recoveryCode: carol.recoveryCode, newPassword: next },
    );
    remember('carol second recovery code', recoveryCode);
    expect(recoveryCode).not.toBe(carol.recoveryCode);
    const session = await login({ api: carol.client }, { email: carol.email, password: next });
    const membership = (await carol.client.me.query()).memberships.find((m) => m.orgId === orgId)!;
    const key = (await openOrgKey(session, membership))!;
    const [row] = await carol.client.org.links.list.query({ orgId });
    expect(
      await openLink({ orgKey: key, orgId, linkId, keyVersion: 2, envelope: row!.link }),
    ).toEqual(linkSecret);
    // The spent code no longer works.
    await expect(
      resetWithRecoveryCode(
        { api: api() },
        { email: carol.email, recoveryCode: carol.recoveryCode, newPassword: `${next} igen` },
      ),
    ).rejects.toThrow();
  });

  it('reset by e-mail without the code: new keys, access waits for an admin to re-grant', async () => {
    const dave = await newUser('dave');
    await alice.client.org.invite.mutate({ orgId, email: dave.email, role: 'member' });
    await dave.client.org.acceptInvite.mutate({
      token: (await mail.next(dave.email, 'invite')).token!,
    });
    const daveId = (await alice.client.org.members.query({ orgId })).find(
      (m) => m.email === dave.email,
    )!.userId;
    await confirmMember({ api: alice.client }, alice.session, {
      orgId,
      memberUserId: daveId,
      expectedFingerprint: dave.fingerprint,
    });

    await api().requestReset.mutate({ email: dave.email });
    const resetMail = await mail.next(dave.email, 'reset');
    const next = `dave har glömt både lösenord och kod ${crypto.randomUUID()}`;
    remember('dave new password', next);
    const { recoveryCode, fingerprint: newFingerprint } = await resetByEmail(
      { api: api() },
      { token: resetMail.token!, newPassword: next },
    );
    remember('dave new recovery code', recoveryCode);

    const session = await login({ api: dave.client }, { email: dave.email, password: next });
    const waiting = (await dave.client.me.query()).memberships.find((m) => m.orgId === orgId)!;
    expect(waiting.status).toBe('needs-regrant');
    expect(await openOrgKey(session, waiting)).toBeNull();

    // Another admin's client wraps the current org key to Dave's new public key — only
    // after comparing its new fingerprint; the old one is refused.
    await expect(
      confirmMember({ api: alice.client }, alice.session, {
        orgId,
        memberUserId: daveId,
        expectedFingerprint: dave.fingerprint,
      }),
    ).rejects.toThrow(/fingerprint/);
    await confirmMember({ api: alice.client }, alice.session, {
      orgId,
      memberUserId: daveId,
      expectedFingerprint: newFingerprint,
    });
    const granted = (await dave.client.me.query()).memberships.find((m) => m.orgId === orgId)!;
    expect(granted.status).toBe('active');
    const key = (await openOrgKey(session, granted))!;
    const [row] = await dave.client.org.links.list.query({ orgId });
    expect(
      await openLink({ orgKey: key, orgId, linkId, keyVersion: 2, envelope: row!.link }),
    ).toEqual(linkSecret);
  });

  it('support accounts (made by the operator command) see no key, link or figure', async () => {
    const supportEmail = `support-${crypto.randomUUID().slice(0, 6)}@nyckel.example`;
    const supportPassword = `supporten har ett eget långt lösenord ${crypto.randomUUID()}`;
    remember('support password', supportPassword);
    const created = spawnSync(
      process.execPath,
      ['bin/nyckel.mjs', 'admin', 'create-support', supportEmail, '--data', server.dataDir],
      {
        cwd: repoRoot,
        env: { ...process.env, NYCKEL_PASSWORD: supportPassword },
        encoding: 'utf8',
      },
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const client = api();
    await login({ api: client }, { email: supportEmail, password: supportPassword });
    const users = await client.support.findUsers.query({ query: 'example.se' });
    const orgs = await client.support.findOrgs.query({ query: 'Alice' });
    expect(users.length).toBeGreaterThanOrEqual(3);
    expect(orgs.map((o) => o.name)).toContain('Alice Konsult AB');
    const text = JSON.stringify({ users, orgs });
    for (const field of ['wrapped', 'publicKey', '"link"', '"ct"', '"iv"', 'capability']) {
      expect(text).not.toContain(field);
    }
    const error = await client.org.links.list.query({ orgId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const membersError = await client.org.members.query({ orgId }).catch((e: unknown) => e);
    expect(membersError).toBeInstanceOf(TRPCClientError);
  });

  it('P6/P4: identity.db and its WAL hold no password, authKey, recovery code or link secret', async () => {
    const files = ['identity.db', 'identity.db-wal']
      .map((name) => join(server.dataDir, name))
      .filter((file) => existsSync(file));
    expect(files.length).toBeGreaterThan(0);
    const contents = files.map((file) => readFileSync(file));
    for (const { label, value } of secretsSeen) {
      const needle = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
      for (const [index, bytes] of contents.entries()) {
        expect(bytes.includes(needle), `${label} found in ${files[index]}`).toBe(false);
      }
    }
    // The recovery code is also absent without its dashes.
    for (const { label, value } of secretsSeen.filter((s) => s.label.includes('recovery'))) {
      const compact = Buffer.from(String(value).replace(/-/g, ''), 'utf8');
      for (const bytes of contents) expect(bytes.includes(compact), label).toBe(false);
    }
  });
});
