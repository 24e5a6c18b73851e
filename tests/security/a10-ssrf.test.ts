import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAccount, fakeEcies, identityClient } from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import {
  ALL_PROCEDURES,
  callProcedure,
  createEntityWithYears,
  demoPayloads,
  startSecurityServer,
  type ProcedureEntry,
} from './helpers';
import { startFakeSmtp, type FakeSmtp } from './fake-smtp';
import { validInput, type KnownValues } from './known-values';
import { replaceAt, stringPaths } from './schema-arbitrary';
import { cookieOf, supportAccount } from './world';

/**
 * OWASP A10:2021 Server-Side Request Forgery. The server fetches nothing a user names: URLs
 * (and URL-like e-mail domains and Host headers) aimed at a listener of the attacker's are
 * put into every text input of every procedure and into the headers of the mail-sending
 * ones, with real SMTP delivery configured. The listener is never contacted; the mails go
 * to the configured SMTP server only, and their links point to the server's own origin.
 */
let server: TestServer;
let smtp: FakeSmtp;
let listener: Server;
let attackerPort = 0;
let contacted = 0;

const decodeQuotedPrintable = (text: string) =>
  Buffer.from(
    text
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

const mailsTo = (address: string) =>
  smtp
    .messages()
    .filter((m) => m.to.includes(address))
    .map((m) => decodeQuotedPrintable(m.data));

async function waitForMail(address: string): Promise<string> {
  for (let waited = 0; waited < 5000; waited += 25) {
    const mail = mailsTo(address)[0];
    if (mail) return mail;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`no mail to ${address}`);
}

beforeAll(async () => {
  listener = createServer((socket) => {
    contacted += 1;
    socket.destroy();
  });
  await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
  const address = listener.address();
  attackerPort = typeof address === 'object' && address !== null ? address.port : 0;
  smtp = await startFakeSmtp();
  server = await startSecurityServer({ NYCKEL_SMTP_URL: smtp.url });
});
afterAll(async () => {
  await server?.dispose();
  await smtp?.close();
  await new Promise((done) => listener?.close(done));
});

const attackerUrls = () => [
  `http://127.0.0.1:${attackerPort}/a10`,
  `https://localhost:${attackerPort}/a10`,
  `//127.0.0.1:${attackerPort}/a10`,
  `a10@127.0.0.1:${attackerPort}`,
];

describe('A10 Server-Side Request Forgery', () => {
  it('URLs in every text input of every procedure are never fetched', async () => {
    // A verified account with an organisation and a finance entity, so calls get far.
    const account = fakeAccount();
    const client = identityClient(server.url);
    await client.api.register.mutate(account.registerInput);
    const token = /[?&]token=([A-Za-z0-9_-]{43})/.exec(await waitForMail(account.email))?.[1];
    await client.api.verifyEmail.mutate({ token: token ?? '' });
    await client.api.login.mutate({ email: account.email, authKey: account.authKey });
    const orgId = randomUUID();
    await client.api.org.create.mutate({
      orgId,
      kind: 'company',
      name: 'Länk AB',
      orgNumber: '556677-8899',
      wrappedOrgKey: fakeEcies(),
    });
    const [payload] = demoPayloads(1);
    const entity = await createEntityWithYears(server.url, payload!);
    const support = await supportAccount(server);
    const own: KnownValues = {
      orgId: () => orgId,
      entityId: () => entity.entityId,
      capability: () => entity.capability,
      userId: () => account.userId,
    };
    const sessionOf = (entry: ProcedureEntry) =>
      entry.api === 'finance'
        ? undefined
        : cookieOf(entry.path.startsWith('support.') ? support.client : client);

    let calls = 0;
    for (const entry of ALL_PROCEDURES) {
      const base = validInput(entry.input, own);
      for (const path of stringPaths(base)) {
        for (const url of attackerUrls()) {
          const input = replaceAt(base, path, url);
          await callProcedure(server.url, entry, input, { cookie: sessionOf(entry) });
          calls += 1;
        }
      }
    }
    // An invitation to a URL-like address goes to the configured SMTP server or nowhere
    // (nodemailer refuses the address); one to a plain address arrives there.
    for (const email of [`a10@127.0.0.1:${attackerPort}`, 'colleague@example.se']) {
      await client.api.org.invite.mutate({ orgId, email, role: 'member' });
    }
    await new Promise((done) => setTimeout(done, 1000));
    expect(calls).toBeGreaterThan(200);
    expect(contacted).toBe(0);
    expect(mailsTo('colleague@example.se')).toHaveLength(1);
    expect(smtp.messages().flatMap((m) => m.to)).not.toContain(`a10@127.0.0.1:${attackerPort}`);
  });

  it('mailed links point to the server, whatever Host or forwarding headers say', async () => {
    const account = fakeAccount();
    await identityClient(server.url).api.register.mutate(account.registerInput);
    await waitForMail(account.email);
    const attackerHost = `127.0.0.1:${attackerPort}`;
    const reset = await callProcedure(
      server.url,
      { api: 'identity', path: 'requestReset', type: 'mutation' },
      { email: account.email },
      {
        headers: {
          host: attackerHost,
          'x-forwarded-host': attackerHost,
          'x-forwarded-proto': 'https',
          referer: `http://${attackerHost}/`,
        },
      },
    );
    expect(reset.status).toBe(200);
    await new Promise((done) => setTimeout(done, 500));
    const mails = mailsTo(account.email);
    expect(mails.length).toBe(2);
    for (const mail of mails) {
      const links = [...mail.matchAll(/https?:\/\/[^\s"<>]+/g)].map((m) => m[0]);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(new URL(link).origin).toBe(server.url);
    }
    expect(contacted).toBe(0);
  });
});
