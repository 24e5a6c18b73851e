import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectFailure,
  fakeAccount,
  fakeEcies,
  fakeEnvelope,
  identityClient,
  mailbox,
  signUp,
  type IdentityClient,
} from '../helpers/identity-http';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * The whole organisation life cycle over HTTP against the real server: register, confirm,
 * log in, create an organisation, invite, accept, confirm, store links, remove a member with
 * key rotation, read the audit log — then prove the database never saw an authKey.
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

const orgId = randomUUID();
const owner = fakeAccount('Owner.Person@Example.se ');
const bob = fakeAccount('bob@example.se');
const carol = fakeAccount('carol@example.se');
let ownerClient: IdentityClient;
let bobClient: IdentityClient;
let carolClient: IdentityClient;
const linkIds = [randomUUID(), randomUUID()];

describe('identity: the organisation life cycle', () => {
  it('registers, mails a verification link and confirms the address', async () => {
    ownerClient = identityClient(server.url);
    expect(await ownerClient.api.register.mutate(owner.registerInput)).toEqual({ ok: true });
    const verification = await mail.next('owner.person@example.se', 'verify');
    expect(verification.body).toContain('/verify?token=');
    expect(verification.body).toContain('Bekräfta din e-postadress');
    expect(verification.body).toContain('Please confirm');
    expect(verification.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Login works before confirmation, but reports it and org creation is refused.
    const early = await ownerClient.api.login.mutate({
      email: 'owner.person@example.se',
      authKey: owner.authKey,
    });
    expect(early.user.emailVerified).toBe(false);
    await expectFailure(
      ownerClient.api.org.create.mutate({
        orgId,
        kind: 'company',
        name: 'Bageri AB',
        orgNumber: '556677-8899',
        wrappedOrgKey: fakeEcies(),
      }),
      { code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' },
    );

    expect(await ownerClient.api.verifyEmail.mutate({ token: verification.token! })).toEqual({
      ok: true,
    });
    // A token works once.
    await expectFailure(ownerClient.api.verifyEmail.mutate({ token: verification.token! }), {
      code: 'BAD_REQUEST',
      reason: 'TOKEN_INVALID',
    });
  });

  it('logs in with the canonical e-mail and returns user and keys', async () => {
    const result = await ownerClient.api.login.mutate({
      email: '  OWNER.person@example.SE',
      authKey: owner.authKey,
    });
    expect(result.user).toMatchObject({
      id: owner.userId,
      email: 'owner.person@example.se',
      role: 'user',
      emailVerified: true,
      keyGeneration: 1,
    });
    expect(result.keys).toEqual({
      kdf: owner.kdf,
      wrappedUserKey: owner.registerInput.wrappedUserKey,
      publicKey: owner.publicKey,
      wrappedPrivateKey: owner.registerInput.wrappedPrivateKey,
    });
    const me = await ownerClient.api.me.query();
    expect(me.user.id).toBe(owner.userId);
    expect(me.memberships).toEqual([]);
  });

  it('a second registration of the same address answers the same and warns the owner', async () => {
    const again = fakeAccount('owner.person@example.se');
    expect(await identityClient(server.url).api.register.mutate(again.registerInput)).toEqual({
      ok: true,
    });
    const warning = await mail.next('owner.person@example.se', 'register-attempt');
    expect(warning.body).toContain('already exists');
    expect(warning.token).toBeUndefined();
  });

  it('refuses an id that is already in use', async () => {
    const clash = fakeAccount();
    await expectFailure(
      identityClient(server.url).api.register.mutate({
        ...clash.registerInput,
        userId: owner.userId,
      }),
      { code: 'CONFLICT', reason: 'ID_IN_USE' },
    );
  });

  it('creates an organisation with a normalised org number; the creator is owner', async () => {
    await expectFailure(
      ownerClient.api.org.create.mutate({
        orgId,
        kind: 'company',
        name: 'Bageri AB',
        orgNumber: '556677-8898',
        wrappedOrgKey: fakeEcies(),
      }),
      { code: 'BAD_REQUEST', reason: 'INVALID_INPUT' },
    );
    const wrappedOrgKey = fakeEcies();
    expect(
      await ownerClient.api.org.create.mutate({
        orgId,
        kind: 'company',
        name: 'Bageri AB',
        orgNumber: '5566778899',
        address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm' },
        wrappedOrgKey,
      }),
    ).toEqual({ orgId, keyVersion: 1 });
    const me = await ownerClient.api.me.query();
    expect(me.memberships).toEqual([
      {
        orgId,
        kind: 'company',
        name: 'Bageri AB',
        orgNumber: '556677-8899',
        role: 'owner',
        status: 'active',
        keyVersion: 1,
        wrappedOrgKey,
      },
    ]);
    expect(await ownerClient.api.org.get.query({ orgId })).toMatchObject({
      orgId,
      orgNumber: '556677-8899',
      address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm' },
      keyVersion: 1,
      role: 'owner',
    });
  });

  it('stores encrypted links as given', async () => {
    for (const linkId of linkIds) {
      await ownerClient.api.org.links.add.mutate({
        orgId,
        linkId,
        keyVersion: 1,
        link: fakeEnvelope(`org:${orgId}:1`, 200),
        label: fakeEnvelope(`org:${orgId}:1`),
      });
    }
    await expectFailure(
      ownerClient.api.org.links.add.mutate({
        orgId,
        linkId: randomUUID(),
        keyVersion: 2,
        link: fakeEnvelope(`org:${orgId}:2`),
      }),
      { code: 'CONFLICT', reason: 'KEY_VERSION_STALE' },
    );
    const links = await ownerClient.api.org.links.list.query({ orgId });
    expect(links.map((l) => l.linkId).sort()).toEqual([...linkIds].sort());
    expect(links[0]).toMatchObject({ keyVersion: 1, link: { v: 1, alg: 'A256GCM' } });
  });

  it('invites by mail; the invitee accepts and waits; an admin confirms with the org key', async () => {
    bobClient = await signUp(server.url, mail, bob);
    carolClient = await signUp(server.url, mail, carol);

    const invitation = await ownerClient.api.org.invite.mutate({
      orgId,
      email: 'Bob@Example.se',
      role: 'admin',
    });
    expect(invitation.invitationId).toMatch(/^[0-9a-f-]{36}$/);
    const invite = await mail.next('bob@example.se', 'invite');
    expect(invite.body).toContain('/invite?token=');
    expect(invite.body).toContain('Bageri AB');

    // Somebody else holding the link cannot use it.
    await expectFailure(carolClient.api.org.acceptInvite.mutate({ token: invite.token! }), {
      code: 'FORBIDDEN',
      reason: 'INVITATION_OTHER_EMAIL',
    });
    expect(await bobClient.api.org.acceptInvite.mutate({ token: invite.token! })).toEqual({
      orgId,
      role: 'admin',
      status: 'pending',
    });
    await expectFailure(bobClient.api.org.acceptInvite.mutate({ token: invite.token! }), {
      code: 'NOT_FOUND',
      reason: 'INVITATION_INVALID',
    });
    // Pending: sees the organisation, not its members or links.
    expect((await bobClient.api.me.query()).memberships[0]).toMatchObject({
      orgId,
      status: 'pending',
      wrappedOrgKey: null,
    });
    await expectFailure(bobClient.api.org.links.list.query({ orgId }), {
      code: 'FORBIDDEN',
      reason: 'MEMBERSHIP_NOT_ACTIVE',
    });

    const members = await ownerClient.api.org.members.query({ orgId });
    const pendingBob = members.find((m) => m.userId === bob.userId);
    expect(pendingBob).toMatchObject({
      status: 'pending',
      publicKey: bob.publicKey,
      role: 'admin',
    });

    await expectFailure(
      ownerClient.api.org.confirmMember.mutate({
        orgId,
        userId: bob.userId,
        keyVersion: 2,
        wrappedOrgKey: fakeEcies(),
      }),
      { code: 'CONFLICT', reason: 'KEY_VERSION_STALE' },
    );
    const bobKey = fakeEcies();
    await ownerClient.api.org.confirmMember.mutate({
      orgId,
      userId: bob.userId,
      keyVersion: 1,
      wrappedOrgKey: bobKey,
    });
    expect((await bobClient.api.me.query()).memberships[0]).toMatchObject({
      status: 'active',
      wrappedOrgKey: bobKey,
    });

    // Carol joins as a member through bob (an admin).
    await bobClient.api.org.invite.mutate({ orgId, email: carol.email, role: 'member' });
    const carolInvite = await mail.next(carol.email, 'invite');
    await carolClient.api.org.acceptInvite.mutate({ token: carolInvite.token! });
    await bobClient.api.org.confirmMember.mutate({
      orgId,
      userId: carol.userId,
      keyVersion: 1,
      wrappedOrgKey: fakeEcies(),
    });
    // A plain member may not invite or read the audit log.
    await expectFailure(
      carolClient.api.org.invite.mutate({ orgId, email: 'x@example.se', role: 'member' }),
      { code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' },
    );
    await expectFailure(carolClient.api.org.audit.query({ orgId }), {
      code: 'FORBIDDEN',
      reason: 'ROLE_REQUIRED',
    });
  });

  it('removing a member needs the rotated key for every remaining member and every link', async () => {
    const fullLinks = linkIds.map((linkId) => ({
      linkId,
      link: fakeEnvelope(`org:${orgId}:2`, 200),
      label: fakeEnvelope(`org:${orgId}:2`),
    }));
    const ownerKey = fakeEcies();
    const bobKey = fakeEcies();
    const base = { orgId, userId: carol.userId, newKeyVersion: 2 };

    // A member is missing.
    const missingMember = await expectFailure(
      ownerClient.api.org.removeMember.mutate({
        ...base,
        memberKeys: [{ userId: owner.userId, wrappedOrgKey: ownerKey }],
        links: fullLinks,
      }),
      { code: 'BAD_REQUEST', reason: 'ROTATION_INCOMPLETE' },
    );
    expect(missingMember.details).toMatchObject({ missingMembers: 1 });
    // A link is missing.
    await expectFailure(
      ownerClient.api.org.removeMember.mutate({
        ...base,
        memberKeys: [
          { userId: owner.userId, wrappedOrgKey: ownerKey },
          { userId: bob.userId, wrappedOrgKey: bobKey },
        ],
        links: fullLinks.slice(1),
      }),
      { code: 'BAD_REQUEST', reason: 'ROTATION_INCOMPLETE' },
    );
    // The removed member must not get the new key.
    await expectFailure(
      ownerClient.api.org.removeMember.mutate({
        ...base,
        memberKeys: [
          { userId: owner.userId, wrappedOrgKey: ownerKey },
          { userId: bob.userId, wrappedOrgKey: bobKey },
          { userId: carol.userId, wrappedOrgKey: fakeEcies() },
        ],
        links: fullLinks,
      }),
      { code: 'BAD_REQUEST', reason: 'ROTATION_INCOMPLETE' },
    );
    // Wrong version.
    await expectFailure(
      ownerClient.api.org.removeMember.mutate({
        ...base,
        newKeyVersion: 3,
        memberKeys: [
          { userId: owner.userId, wrappedOrgKey: ownerKey },
          { userId: bob.userId, wrappedOrgKey: bobKey },
        ],
        links: fullLinks,
      }),
      { code: 'CONFLICT', reason: 'KEY_VERSION_STALE' },
    );
    // Nothing changed after the refusals.
    expect((await carolClient.api.me.query()).memberships[0]).toMatchObject({
      status: 'active',
      keyVersion: 1,
    });

    expect(
      await ownerClient.api.org.removeMember.mutate({
        ...base,
        memberKeys: [
          { userId: owner.userId, wrappedOrgKey: ownerKey },
          { userId: bob.userId, wrappedOrgKey: bobKey },
        ],
        links: fullLinks,
      }),
    ).toEqual({ keyVersion: 2 });

    expect((await carolClient.api.me.query()).memberships).toEqual([]);
    await expectFailure(carolClient.api.org.get.query({ orgId }), {
      code: 'NOT_FOUND',
      reason: 'ORG_NOT_FOUND',
    });
    const ownerView = (await ownerClient.api.me.query()).memberships[0];
    expect(ownerView).toMatchObject({ keyVersion: 2, wrappedOrgKey: ownerKey });
    expect((await bobClient.api.me.query()).memberships[0]).toMatchObject({
      keyVersion: 2,
      wrappedOrgKey: bobKey,
    });
    const links = await bobClient.api.org.links.list.query({ orgId });
    for (const stored of links) {
      const sent = fullLinks.find((l) => l.linkId === stored.linkId)!;
      expect(stored).toMatchObject({ keyVersion: 2, link: sent.link, label: sent.label });
    }
  });

  it('an admin cannot remove the owner, and nobody removes themselves', async () => {
    await expectFailure(
      bobClient.api.org.removeMember.mutate({
        orgId,
        userId: owner.userId,
        newKeyVersion: 3,
        memberKeys: [{ userId: bob.userId, wrappedOrgKey: fakeEcies() }],
        links: [],
      }),
      { code: 'FORBIDDEN', reason: 'OWNER_REQUIRED' },
    );
    await expectFailure(
      ownerClient.api.org.removeMember.mutate({
        orgId,
        userId: owner.userId,
        newKeyVersion: 3,
        memberKeys: [{ userId: bob.userId, wrappedOrgKey: fakeEcies() }],
        links: [],
      }),
      // The one leaving would otherwise create (and so know) the next org key.
      { code: 'FORBIDDEN', reason: 'SELF_REMOVAL' },
    );
  });

  it('keeps an audit log of the security events, readable by owners and admins', async () => {
    const events = await ownerClient.api.org.audit.query({ orgId });
    const types = events.map((e) => e.type);
    for (const type of [
      'org_created',
      'invitation_sent',
      'invitation_accepted',
      'member_confirmed',
      'member_removed',
      'key_rotated',
    ]) {
      expect(types, type).toContain(type);
    }
    const rotated = events.find((e) => e.type === 'key_rotated');
    expect(rotated).toMatchObject({
      userId: owner.userId,
      detail: { keyVersion: 2, members: 2, links: 2 },
    });
    // Newest first.
    expect(events[0]!.id).toBeGreaterThan(events.at(-1)!.id);
    const text = JSON.stringify(events);
    expect(text).not.toContain(owner.authKey);
    expect(text).not.toContain('"ct"');
  });

  it('logout clears the cookie and ends the session', async () => {
    await bobClient.api.logout.mutate();
    expect(bobClient.jar.token).toBeUndefined();
    await expectFailure(bobClient.api.me.query(), { code: 'UNAUTHORIZED' });
  });

  it('the identity database never holds an authKey, a recovery auth key or a token', async () => {
    const secrets = [owner, bob, carol].flatMap((a) => [a.authKey, a.recoveryAuthKey]);
    const raw = [owner, bob, carol].flatMap((a) => [
      Buffer.from(a.authKey, 'base64url'),
      Buffer.from(a.recoveryAuthKey, 'base64url'),
    ]);
    const tokens = [ownerClient.jar.token!, carolClient.jar.token!];
    const check = () => {
      for (const file of ['identity.db', 'identity.db-wal']) {
        const path = join(server.dataDir, file);
        if (!existsSync(path)) continue;
        const bytes = readFileSync(path);
        const latin = bytes.toString('latin1');
        for (const secret of [...secrets, ...tokens]) expect(latin.includes(secret)).toBe(false);
        for (const secret of raw) expect(bytes.includes(secret)).toBe(false);
      }
    };
    check();
    const log = server.output();
    for (const secret of secrets) expect(log).not.toContain(secret);
    // In outbox mode (no SMTP) the link is logged so a developer can follow it.
    expect(log).toMatch(/"msg":"mail written to outbox"/);
    expect(log).toContain('/verify?token=');
    await server.stop();
    check();
  });
});
