import { randomUUID } from 'node:crypto';
import { createSupportAccount } from '../../server/identity/support-account';
import { openIdentityStore } from '../../server/identity/store';
import {
  fakeAccount,
  fakeEcies,
  fakeEnvelope,
  identityClient,
  mailbox,
  signUp,
  SESSION_COOKIE,
  type FakeAccount,
} from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import { createEntityWithYears, demoPayloads } from './helpers';

/**
 * The people and data the attacks of the security suite aim at: two companies with a member
 * each, an encrypted link and a finance entity with uploaded years each, and a support
 * account. Accounts are protocol-shaped fakes (tests/helpers/identity-http.ts): the server
 * cannot tell them from real ones, and they cost no client-side Argon2id.
 */
export interface Tenant {
  account: FakeAccount;
  client: ReturnType<typeof identityClient>;
  orgId: string;
  orgName: string;
  linkId: string;
  entityId: string;
  capability: string;
}

export interface World {
  alice: Tenant;
  bob: Tenant;
  support: { account: FakeAccount; client: ReturnType<typeof identityClient> };
}

/** A session cookie header for a client of tests/helpers/identity-http.ts. */
export const cookieOf = (client: ReturnType<typeof identityClient>): string => {
  if (!client.jar.token) throw new Error('the client has no session');
  return `${SESSION_COOKIE}=${client.jar.token}`;
};

const ORG_NUMBERS = ['556677-8899', '212000-0142'] as const;

async function tenant(server: TestServer, name: string, index: 0 | 1): Promise<Tenant> {
  const client = await signUp(server.url, mailbox(server.dataDir));
  const orgId = randomUUID();
  const orgName = `${name} AB`;
  await client.api.org.create.mutate({
    orgId,
    kind: 'company',
    name: orgName,
    orgNumber: ORG_NUMBERS[index],
    wrappedOrgKey: fakeEcies(),
  });
  const linkId = randomUUID();
  await client.api.org.links.add.mutate({
    orgId,
    linkId,
    keyVersion: 1,
    link: fakeEnvelope(`org:${orgId}:1`),
  });
  const [payload] = demoPayloads(1, 1000 + index);
  if (!payload) throw new Error('no demo payload');
  const entity = await createEntityWithYears(server.url, payload);
  return { account: client.account, client, orgId, orgName, linkId, ...entity };
}

/** What `nyckel admin create-support` does: the account straight into identity.db. */
export async function supportAccount(server: TestServer) {
  const account = fakeAccount(`support-${randomUUID().slice(0, 6)}@nyckel.example`);
  const store = openIdentityStore(server.dataDir);
  try {
    await createSupportAccount(store, account.registerInput);
  } finally {
    store.close();
  }
  const client = identityClient(server.url);
  await client.api.login.mutate({ email: account.email, authKey: account.authKey });
  return { account, client };
}

export async function buildWorld(server: TestServer): Promise<World> {
  const alice = await tenant(server, 'Alice Konsult', 0);
  const bob = await tenant(server, 'Bertil Bygg', 1);
  return { alice, bob, support: await supportAccount(server) };
}
