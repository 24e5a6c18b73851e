import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  fakeEcies,
  fakeEnvelope,
  fakeKdf,
  mailbox,
  randomKey,
  signUp,
} from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import {
  callProcedure,
  awaitLogLines,
  readStore,
  send,
  startSecurityServer,
  UNLIMITED,
} from './helpers';

/**
 * OWASP A09:2021 Security Logging and Monitoring Failures: security-relevant actions leave
 * audit events in identity.db; guessing raises alert events (log and metric) and address
 * blocks a log line; none of it names an address, a secret or an e-mail address.
 */
let server: TestServer;
const ATTACKER = '127.0.0.7';
const GUESSER = '127.0.0.8';

beforeAll(async () => {
  server = await startSecurityServer({
    NYCKEL_ALERT_FAILED_LOGINS: '3',
    NYCKEL_ALERT_CAPABILITY_FAILURES: '3',
    NYCKEL_ALERT_WINDOW_SECONDS: '60',
    NYCKEL_RATE_LIMITS: `${UNLIMITED},login_failures_ip=4/600`,
  });
});
afterAll(async () => {
  await server?.dispose();
});

const auditRow = z.object({
  type: z.string(),
  user_id: z.string().nullable(),
  org_id: z.string().nullable(),
  detail: z.string(),
});

const auditOf = (userId: string) =>
  readStore(server, 'identity', (db) =>
    z
      .array(auditRow)
      .parse(
        db
          .prepare(
            'SELECT type, user_id, org_id, detail FROM audit_events WHERE user_id = ? ORDER BY id',
          )
          .all(userId),
      ),
  );

describe('A09 Security Logging and Monitoring Failures', () => {
  it('security-relevant actions leave audit events with ids only, no secrets', async () => {
    const user = await signUp(server.url, mailbox(server.dataDir));
    const { userId, email, authKey } = user.account;
    await callProcedure(
      server.url,
      { api: 'identity', path: 'login', type: 'mutation' },
      { email, authKey: randomKey() },
    );
    const orgId = randomUUID();
    await user.api.org.create.mutate({
      orgId,
      kind: 'company',
      name: 'Spår AB',
      orgNumber: '556677-8899',
      wrappedOrgKey: fakeEcies(),
    });
    await user.api.org.invite.mutate({ orgId, email: 'colleague@example.se', role: 'member' });
    const newAuthKey = randomKey();
    await user.api.changePassword.mutate({
      currentAuthKey: authKey,
      kdf: fakeKdf(),
      authKey: newAuthKey,
      wrappedUserKey: fakeEnvelope(`pwd:${userId}:2`),
    });
    await user.api.logout.mutate();

    const events = auditOf(userId);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'email_verified',
        'login',
        'login_failed',
        'org_created',
        'invitation_sent',
        'password_changed',
        'logout',
      ]),
    );
    const text = JSON.stringify(events);
    for (const secret of [authKey, newAuthKey, email, 'colleague@example.se']) {
      expect(text).not.toContain(secret);
    }
  });

  it('a failed-login burst raises one alert event, in the log and in /metrics', async () => {
    for (let i = 0; i < 3; i += 1) {
      await callProcedure(
        server.url,
        { api: 'identity', path: 'login', type: 'mutation' },
        { email: `nobody-${i}@example.se`, authKey: randomKey() },
        { localAddress: ATTACKER },
      );
    }
    const alerts = await awaitLogLines(
      server,
      (line) => line['event'] === 'alert' && line['kind'] === 'failed_login_burst',
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 40, count: 3, windowSeconds: 60 });
    const metrics = (await send(server.url, '/metrics')).text;
    expect(metrics).toMatch(/nyckel_security_alerts_total\{kind="failed_login_burst"\} 1/);
  });

  it('blocking an address is logged: which limiter and for how long, never the address', async () => {
    // The fourth failure from this address (three above) blocks it.
    await callProcedure(
      server.url,
      { api: 'identity', path: 'login', type: 'mutation' },
      { email: 'nobody-3@example.se', authKey: randomKey() },
      { localAddress: ATTACKER },
    );
    const blocks = await awaitLogLines(server, (line) => line['event'] === 'rate_limit_block');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      level: 40,
      limiter: 'login_failures_ip',
      block: 1,
      seconds: 60,
    });
  });

  it('capability guessing raises its alert; the finance log names no address', async () => {
    for (let i = 0; i < 3; i += 1) {
      await callProcedure(
        server.url,
        { api: 'finance', path: 'listYears', type: 'query' },
        { entityId: randomBytes(16).toString('hex'), capability: randomKey() },
        { localAddress: GUESSER },
      );
    }
    const alerts = await awaitLogLines(
      server,
      (line) => line['event'] === 'alert' && line['kind'] === 'capability_guessing',
    );
    expect(alerts).toHaveLength(1);
  });

  it('no log line holds a client address, an e-mail address or a key', () => {
    const output = server.output();
    for (const address of [ATTACKER, GUESSER]) expect(output).not.toContain(address);
    expect(output).not.toMatch(/nobody-\d@example\.se|colleague@example\.se/);
    expect(output).not.toMatch(/"authKey"\s*:\s*"[A-Za-z0-9_-]{43}"/);
  });
});
