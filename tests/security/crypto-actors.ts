import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  newLinkSecrets,
  newOrgKey,
  sealLink,
  unwrapOrgKey,
  type OrgLink,
} from '../../src/lib/core/crypto/index';
import { exportPublicKey, generateKeyPair } from '../../src/lib/core/crypto/p256';
import { fakeAccount, mailbox, signUp } from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';

/**
 * A member whose keys are real (the client core's org key, ECIES wrap and link sealing, on
 * WebCrypto), registered through the real server, for the attacks on ciphertexts: what a
 * malicious operator or a thief with write access to identity.db could try.
 */
export async function cryptoMember(server: TestServer) {
  const pair = await generateKeyPair(false);
  const publicKey = await exportPublicKey(pair.publicKey);
  const account = fakeAccount();
  const member = await signUp(server.url, mailbox(server.dataDir), {
    ...account,
    publicKey,
    registerInput: { ...account.registerInput, publicKey },
  });
  const userId = account.userId;

  /** A new organisation of this member, its org key wrapped to the member's public key. */
  const createOrganisation = async (name: string) => {
    const orgId = randomUUID();
    const { wrapped } = await newOrgKey({ orgId, keyVersion: 1, members: [{ userId, publicKey }] });
    const envelope = wrapped[0]!.envelope;
    await member.api.org.create.mutate({
      orgId,
      kind: 'company',
      name,
      orgNumber: '556677-8899',
      wrappedOrgKey: envelope,
    });
    // The key as a member gets it back: unwrapped from what the server returns.
    const stored = (await member.api.me.query()).memberships.find((m) => m.orgId === orgId);
    const orgKey = await unwrapOrgKey({
      envelope: stored?.wrappedOrgKey,
      orgId,
      userId,
      keyVersion: 1,
      privateKey: pair.privateKey,
      publicKey,
    });
    return { orgId, orgKey };
  };

  /** A link to a (made-up) finance entity, sealed under the org key and stored. */
  const addLink = async (org: { orgId: string; orgKey: CryptoKey }) => {
    const linkId = randomUUID();
    const secret: OrgLink = {
      financeEntityId: randomUUID().replaceAll('-', ''),
      ...newLinkSecrets(),
    };
    const link = await sealLink({
      orgKey: org.orgKey,
      orgId: org.orgId,
      linkId,
      keyVersion: 1,
      link: secret,
    });
    await member.api.org.links.add.mutate({ orgId: org.orgId, linkId, keyVersion: 1, link });
    return { linkId, secret, envelope: link };
  };

  return { member, userId, publicKey, createOrganisation, addLink };
}

/** Writes to identity.db behind the server's back, as an attacker with the file would. */
export function tamperIdentityStore(server: TestServer, change: (db: Database.Database) => void) {
  const db = new Database(join(server.dataDir, 'identity.db'));
  try {
    change(db);
  } finally {
    db.close();
  }
}
