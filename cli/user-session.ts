import type { Command } from 'commander';
import { login, type UnlockedSession } from '../src/lib/core/account/account';
import { createIdentityClient, type IdentityClient } from '../src/lib/core/api/clients';
import { cliFailure } from './failure';
import { promptSecret } from './prompt';

/** Options every command that acts as a user shares. */
export interface UserOptions {
  server?: string;
  email?: string;
  org?: string;
}

export const addUserOptions = (command: Command): Command =>
  command
    .option('--server <url>', 'Nyckel server URL (env NYCKEL_SERVER)')
    .option('--email <address>', 'your e-mail address (env NYCKEL_EMAIL)');

export interface UserContext {
  api: IdentityClient;
  /** The server's origin, e.g. http://127.0.0.1:8080. */
  server: string;
  email: string;
  password: string;
}

/** Resolves server, e-mail and password (NYCKEL_PASSWORD or a hidden prompt). */
export async function userContext(options: UserOptions): Promise<UserContext> {
  const server = options.server ?? process.env.NYCKEL_SERVER;
  const email = options.email ?? process.env.NYCKEL_EMAIL;
  if (!server) throw cliFailure(1, 'no server: give --server URL or set NYCKEL_SERVER');
  if (!email) throw cliFailure(1, 'no e-mail: give --email or set NYCKEL_EMAIL');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw cliFailure(1, `--server is not a URL: ${server}`);
  }
  const password = process.env.NYCKEL_PASSWORD ?? (await promptSecret(`Password for ${email}: `));
  return {
    api: createIdentityClient({ baseUrl: url.origin }),
    server: url.origin,
    email,
    password,
  };
}

/** Logs in with the real protocol; nothing is written to disk. */
export async function loggedIn(
  options: UserOptions,
): Promise<UserContext & { session: UnlockedSession }> {
  const context = await userContext(options);
  const session = await login({ api: context.api }, context);
  return { ...context, session };
}

type Membership = Awaited<ReturnType<IdentityClient['me']['query']>>['memberships'][number];

/** The organisation to act on: the only one, or the one `--org ORGNR` names. */
export async function chooseOrg(api: IdentityClient, orgNumber?: string): Promise<Membership> {
  const { memberships } = await api.me.query();
  const normalise = (n: string) => n.replace(/\D/g, '').slice(-10);
  const matching = orgNumber
    ? memberships.filter((m) => normalise(m.orgNumber) === normalise(orgNumber))
    : memberships;
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) {
    throw cliFailure(
      1,
      orgNumber ? `you are not a member of ${orgNumber}` : 'you have no organisation yet',
    );
  }
  throw cliFailure(
    1,
    `you belong to several organisations; pick one with --org (${matching.map((m) => m.orgNumber).join(', ')})`,
  );
}
