import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CENSOR, createLogger, REDACTED_KEYS, scrubText } from '../../server/log';

/** A logger writing into an array of parsed JSON lines, plus the raw text. */
function capture(level = 'debug') {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger(level, stream);
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, text, lines };
}

/** One value of every secret kind, each unique so its absence can be searched for. */
const SECRETS = {
  sessionCookie: '__Secure-nyckel_session=tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  bearer: 'Bearer metrics-token-0123456789abcdef',
  sessionToken: 'sess_4c1e0c6d9a1f4f0b8d7e2a3b5c6d7e8f',
  resetToken: 'reset_Zk3mP9qR2sT5vW8xY1zA4bC7dE0fG3hJ6kL9mN2p',
  capability: 'cap_Qm9zZWJ1ZHNwYWtldCBvY2ggZW4gaGVtbGlnIG55Y2tlbA',
  capabilityHash: 'a3f1c2e4b5d6978877665544332211ffeeddccbbaa99887766554433221100ab',
  email: 'anna.andersson@foretaget.se',
  emailInText: 'bo.berg@exempel.com',
  emailDeep: 'deep.person@djup.example',
  password: 'Correct-Horse-Battery-Staple-42',
  authKey: 'authkey_u2Jf8sKq0pLm3nBv6cXz9aSd1fGh4jKl7',
  recoveryCode: 'RC-7KQ2-M9XH-4TBW-P3ZN',
  metricsToken: 'metrics-token-0123456789abcdef',
  privateKey: 'pk_MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQ',
  balanceFigure: 987654321,
  resultFigure: -123456789,
  bodyText: '{"payload":{"years":[{"result":{"30":5550000}}]}}',
  uploadFigure: 5550123,
} as const;

const secretStrings = Object.values(SECRETS).map(String);

describe('log redaction', () => {
  it('a log object with every kind of secret comes out with none of them', () => {
    const { log, text, lines } = capture();
    log.info(
      {
        event: 'probe',
        count: 3,
        req: {
          method: 'POST',
          url: `/api/finance/listYears?input=${SECRETS.capability}`,
          headers: {
            cookie: SECRETS.sessionCookie,
            authorization: SECRETS.bearer,
            'set-cookie': [SECRETS.sessionCookie],
          },
          body: SECRETS.bodyText,
        },
        res: { statusCode: 401, headers: { 'set-cookie': SECRETS.sessionCookie } },
        session: { token: SECRETS.sessionToken },
        link: { token: SECRETS.resetToken },
        capability: SECRETS.capability,
        entity: { capabilityHash: SECRETS.capabilityHash },
        email: SECRETS.email,
        note: `mail to ${SECRETS.emailInText} bounced`,
        account: { password: SECRETS.password, authKey: SECRETS.authKey },
        recovery: { recoveryCode: SECRETS.recoveryCode },
        config: { metricsToken: SECRETS.metricsToken },
        keys: { privateKey: SECRETS.privateKey },
        figures: { balance: SECRETS.balanceFigure },
        upload: {
          payload: { years: [{ balance: { 19: SECRETS.balanceFigure } }] },
          summary: { result: SECRETS.resultFigure },
        },
        a: { b: { c: { d: { e: { email: SECRETS.emailDeep, input: SECRETS.uploadFigure } } } } },
        err: new Error(`constraint failed for ${SECRETS.emailInText}`),
      },
      'login failed for %s',
      SECRETS.email,
    );
    const output = text();
    for (const secret of secretStrings) expect(output, secret).not.toContain(secret);

    // What is not secret is still there: the log stays useful.
    const [line] = lines();
    expect(line).toMatchObject({
      event: 'probe',
      count: 3,
      req: { method: 'POST', path: '/api/finance/listYears' },
      res: { statusCode: 401 },
      capability: CENSOR,
      email: CENSOR,
      note: 'mail to [email] bounced',
      msg: 'login failed for [email]',
      err: { type: 'Error', message: 'constraint failed for [email]' },
    });
  });

  it('child loggers redact their bindings too', () => {
    const { log, text } = capture();
    log.child({ email: SECRETS.email, user: { authKey: SECRETS.authKey } }).warn('bound');
    expect(text()).not.toContain(SECRETS.email);
    expect(text()).not.toContain(SECRETS.authKey);
    expect(text()).toContain('"msg":"bound"');
  });

  it('request bodies never reach the log, whatever they are called under req', () => {
    const { log, text } = capture();
    const req = {
      method: 'POST',
      url: '/api/identity/login',
      headers: { 'content-type': 'application/json' },
      body: { email: SECRETS.email, authKey: SECRETS.authKey },
      rawBody: SECRETS.bodyText,
      socket: { remoteAddress: '203.0.113.9' },
    };
    log.info({ req }, 'request');
    expect(JSON.parse(text())).toMatchObject({
      req: { method: 'POST', path: '/api/identity/login' },
    });
    for (const leaked of [SECRETS.email, SECRETS.authKey, SECRETS.bodyText, '203.0.113.9']) {
      expect(text()).not.toContain(leaked);
    }
  });

  it('every listed key is redacted at the top and deep down, in any letter case', () => {
    const { log, lines } = capture();
    for (const key of REDACTED_KEYS) {
      log.info({
        [key]: 'top-secret',
        nested: { x: { y: { z: { [key.toUpperCase()]: 'deep' } } } },
      });
    }
    for (const line of lines()) {
      expect(JSON.stringify(line)).not.toContain('top-secret');
      expect(JSON.stringify(line)).not.toContain('"deep"');
    }
    expect(lines()).toHaveLength(REDACTED_KEYS.length);
  });

  it('the development mail link stays (documented in OPERATIONS.md), addresses do not', () => {
    const { log, lines } = capture();
    const link = 'http://127.0.0.1:8080/verify?token=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    log.info({ mail: 'verify', to: SECRETS.email, link }, 'mail written to outbox');
    expect(lines()[0]).toMatchObject({ link, to: '[email]' });
  });

  it('scrubText finds addresses with international letters and subdomains', () => {
    expect(scrubText('från åsa.öberg@mail.företag.se och x@y.io')).toBe('från [email] och [email]');
    expect(scrubText('no address @ here, not-an@address')).toBe(
      'no address @ here, not-an@address',
    );
  });
});
