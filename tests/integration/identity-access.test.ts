import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIdentityStore } from '../../server/identity/store';
import { createSupportAccount } from '../../server/identity/support-account';
import {
  expectFailure,
  failure,
  fakeAccount,
  fakeEcies,
  fakeEnvelope,
  identityClient,
  mailbox,
  randomKey,
  signUp,
  type IdentityClient,
} from '../helpers/identity-http';
import { startTestServer, type TestServer } from '../helpers/server';

/** Server-side access control: organisations are invisible to non-members and to support. */
let server: TestServer;
let mail: ReturnType<typeof mailbox>;
let alice: IdentityClient & { account: ReturnType<typeof fakeAccount> };
let bertil: IdentityClient & { account: ReturnType<typeof fakeAccount> };
let support: IdentityClient;
const supportAccount = fakeAccount('support@nyckel.example');
const orgA = randomUUID();
const orgB = randomUUID();

beforeAll(async () => {
  server = await startTestServer();
  mail = mailbox(server.dataDir);
  alice = await signUp(server.url, mail, fakeAccount('alice@example.se'));
  bertil = await signUp(server.url, mail, fakeAccount('bertil@example.se'));
  await alice.api.org.create.mutate({
    orgId: orgA,
    kind: 'company',
    name: 'Alice Konsult AB',
    orgNumber: '556677-8899',
    wrappedOrgKey: fakeEcies(),
  });
  await bertil.api.org.create.mutate({
    orgId: orgB,
    kind: 'bureau',
    name: 'Bertils Redovisning',
    orgNumber: '212000-0142',
    wrappedOrgKey: fakeEcies(),
  });
  await bertil.api.org.links.add.mutate({
    orgId: orgB,
    linkId: randomUUID(),
    keyVersion: 1,
    link: fakeEnvelope(`org:${orgB}:1`),
  });

  // What `nyckel admin create-support` does: write the account straight into identity.db.
  const store = openIdentityStore(server.dataDir);
  try {
    const created = await createSupportAccount(store, supportAccount.registerInput);
    expect(created).toEqual({ userId: supportAccount.userId, email: 'support@nyckel.example' });
    await expect(createSupportAccount(store, supportAccount.registerInput)).rejects.toThrow(
      /already exists/,
    );
    await expect(
      createSupportAccount(store, { ...fakeAccount().registerInput, authKey: 'short' }),
    ).rejects.toThrow(/authKey/);
  } finally {
    store.close();
  }
  support = identityClient(server.url);
  await support.api.login.mutate({ email: supportAccount.email, authKey: supportAccount.authKey });
});

afterAll(async () => {
  await server.dispose();
});

/** Every procedure that names an organisation, called for `orgId`. */
const orgCalls = (client: IdentityClient, orgId: string) => ({
  'org.get': () => client.api.org.get.query({ orgId }),
  'org.members': () => client.api.org.members.query({ orgId }),
  'org.invite': () =>
    client.api.org.invite.mutate({ orgId, email: 'someone@example.se', role: 'member' }),
  'org.confirmMember': () =>
    client.api.org.confirmMember.mutate({
      orgId,
      userId: randomUUID(),
      keyVersion: 1,
      wrappedOrgKey: fakeEcies(),
    }),
  'org.removeMember': () =>
    client.api.org.removeMember.mutate({
      orgId,
      userId: randomUUID(),
      newKeyVersion: 2,
      memberKeys: [],
      links: [],
    }),
  'org.links.list': () => client.api.org.links.list.query({ orgId }),
  'org.links.add': () =>
    client.api.org.links.add.mutate({
      orgId,
      linkId: randomUUID(),
      keyVersion: 1,
      link: fakeEnvelope(`org:${orgId}:1`),
    }),
  'org.audit': () => client.api.org.audit.query({ orgId }),
});

const ENVELOPE_FIELDS = [
  'kdf',
  'keys',
  'wrappedUserKey',
  'wrappedPrivateKey',
  'wrappedOrgKey',
  'publicKey',
  'recovery',
  'authHash',
  'recoveryAuthHash',
  'link',
  'label',
  'ct',
  'iv',
  'epk',
];

const allKeys = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(allKeys)
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)])
      : [];

describe('organisations of others', () => {
  it('every org procedure on another member’s organisation answers NOT_FOUND', async () => {
    for (const [name, call] of Object.entries(orgCalls(alice, orgB))) {
      const error = await failure(call());
      expect({ name, code: error.code, reason: error.reason }).toEqual({
        name,
        code: 'NOT_FOUND',
        reason: 'ORG_NOT_FOUND',
      });
    }
  });

  it('an organisation that does not exist gets exactly the same answers', async () => {
    const ghost = randomUUID();
    const real = orgCalls(alice, orgB);
    const missing = orgCalls(alice, ghost);
    for (const name of Object.keys(real) as (keyof typeof real)[]) {
      expect(await failure(missing[name]())).toEqual(await failure(real[name]()));
    }
  });

  it('the owner of B is unaffected and sees no trace of the probing in its members', async () => {
    const members = await bertil.api.org.members.query({ orgId: orgB });
    expect(members.map((m) => m.userId)).toEqual([bertil.account.userId]);
    expect(await bertil.api.org.links.list.query({ orgId: orgB })).toHaveLength(1);
  });
});

describe('support accounts', () => {
  it('log in like anyone, with the support role, and have no organisations', async () => {
    const me = await support.api.me.query();
    expect(me.user).toMatchObject({ role: 'support', emailVerified: true });
    expect(me.memberships).toEqual([]);
  });

  it('are refused every organisation procedure with FORBIDDEN', async () => {
    for (const orgId of [orgA, orgB]) {
      for (const [name, call] of Object.entries(orgCalls(support, orgId))) {
        const error = await failure(call());
        expect({ name, code: error.code, reason: error.reason }).toEqual({
          name,
          code: 'FORBIDDEN',
          reason: 'SUPPORT_NO_ORG_ACCESS',
        });
      }
    }
    await expectFailure(
      support.api.org.create.mutate({
        orgId: randomUUID(),
        kind: 'company',
        name: 'Support AB',
        orgNumber: '556677-8899',
        wrappedOrgKey: fakeEcies(),
      }),
      { code: 'FORBIDDEN', reason: 'SUPPORT_NO_ORG_ACCESS' },
    );
  });

  it('find users and organisations without any key, envelope or link', async () => {
    const users = await support.api.support.findUsers.query({ query: 'example.se' });
    expect(users.map((u) => u.email).sort()).toEqual(['alice@example.se', 'bertil@example.se']);
    expect(users.find((u) => u.email === 'alice@example.se')).toMatchObject({
      userId: alice.account.userId,
      emailVerified: true,
      locked: false,
      memberCount: 1,
    });
    const orgs = await support.api.support.findOrgs.query({ query: 'redovisning' });
    expect(orgs).toEqual([
      expect.objectContaining({
        orgId: orgB,
        name: 'Bertils Redovisning',
        orgNumber: '212000-0142',
        kind: 'bureau',
        memberCount: 1,
      }),
    ]);
    const byNumber = await support.api.support.findOrgs.query({ query: '5566778899' });
    expect(byNumber.map((o) => o.orgId)).toEqual([orgA]);
    // Wildcards are literal.
    expect(await support.api.support.findUsers.query({ query: '%%' })).toEqual([]);

    for (const response of [users, orgs, byNumber]) {
      const keys = allKeys(response);
      for (const field of ENVELOPE_FIELDS) expect(keys).not.toContain(field);
      const text = JSON.stringify(response);
      expect(text).not.toContain(alice.account.publicKey);
      expect(text).not.toContain('A256GCM');
    }
  });

  it('unlock a locked account', async () => {
    const api = identityClient(server.url).api;
    for (let i = 0; i < 5; i += 1) {
      await failure(api.login.mutate({ email: 'alice@example.se', authKey: randomKey() }));
    }
    const [locked] = await support.api.support.findUsers.query({ query: 'alice@' });
    expect(locked).toMatchObject({ locked: true, failedLogins: 5 });
    expect(await support.api.support.unlock.mutate({ userId: alice.account.userId })).toEqual({
      ok: true,
    });
    await api.login.mutate({ email: 'alice@example.se', authKey: alice.account.authKey });
    await expectFailure(support.api.support.unlock.mutate({ userId: randomUUID() }), {
      code: 'NOT_FOUND',
      reason: 'USER_NOT_FOUND',
    });
  });

  it('resend a verification mail to an unconfirmed address only', async () => {
    const pending = fakeAccount('late@example.se');
    await identityClient(server.url).api.register.mutate(pending.registerInput);
    await mail.next(pending.email, 'verify');
    await support.api.support.resendVerification.mutate({ userId: pending.userId });
    const again = await mail.next(pending.email, 'verify');
    await identityClient(server.url).api.verifyEmail.mutate({ token: again.token! });
    await expectFailure(support.api.support.resendVerification.mutate({ userId: pending.userId }), {
      code: 'BAD_REQUEST',
      reason: 'ALREADY_VERIFIED',
    });
  });

  it('the support procedures are refused to everyone else', async () => {
    await expectFailure(alice.api.support.findUsers.query({ query: 'example' }), {
      code: 'FORBIDDEN',
      reason: 'SUPPORT_ONLY',
    });
    await expectFailure(alice.api.support.unlock.mutate({ userId: alice.account.userId }), {
      code: 'FORBIDDEN',
      reason: 'SUPPORT_ONLY',
    });
    await expectFailure(identityClient(server.url).api.support.findOrgs.query({ query: 'alice' }), {
      code: 'UNAUTHORIZED',
    });
  });
});
