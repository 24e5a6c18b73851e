import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startServer, type RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { isCryptoError, openLink, parseEnvelope } from '../../src/lib/core/crypto/index';
import { repoRoot, type TestServer } from '../helpers/server';
import { callProcedure, readStore, startSecurityServer, wireError } from './helpers';
import { cryptoMember, tamperIdentityStore } from './crypto-actors';

/**
 * OWASP A02:2021 Cryptographic Failures: old TLS refused on the wire, HSTS, and ciphertexts
 * the client core refuses when anything in them was changed or their version is unknown.
 * The TLS version test is the same as tests/integration/tls.test.ts (which also covers
 * HTTP/2 and the redirect port), repeated here so this suite stands on its own.
 */
const CODE_OF = (error: unknown) => (isCryptoError(error) ? error.code : String(error));

const thrownCode = (run: () => unknown): string => {
  try {
    run();
    return 'no error';
  } catch (error) {
    return CODE_OF(error);
  }
};

const storedLink = z.object({ link: z.string() });
const storedEnvelope = z.looseObject({ ct: z.string() });

describe('A02 Cryptographic Failures: transport', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'nyckel-a02-'));
  const certFile = join(workDir, 'cert.pem');
  const keyFile = join(workDir, 'key.pem');
  let cert: Buffer;
  let server: RunningServer;
  let port: number;

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
        ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'],
        ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(certFile);
    const loaded = loadConfig({
      NYCKEL_DATA_DIR: mkdtempSync(join(workDir, 'data-')),
      PORT: '0',
      HOST: '127.0.0.1',
      NYCKEL_DEMO: 'off',
      NYCKEL_STATIC_DIR: join(repoRoot, 'build'),
      NYCKEL_TLS_CERT: certFile,
      NYCKEL_TLS_KEY: keyFile,
    });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    server = await startServer(loaded.config, createLogger('warn', quiet));
    port = Number(new URL(server.url).port);
  });

  afterAll(async () => {
    await server?.shutdown('test over');
    rmSync(workDir, { recursive: true, force: true });
  });

  const handshake = (options: ConnectionOptions) =>
    new Promise<string>((resolvePromise) => {
      const socket = tlsConnect(
        { host: '127.0.0.1', port, ca: cert, servername: 'localhost', ...options },
        () => {
          resolvePromise(`ok ${socket.getProtocol()}`);
          socket.end();
        },
      );
      socket.on('error', (error: NodeJS.ErrnoException) =>
        resolvePromise(`refused ${error.code ?? error.message}`),
      );
    });

  it('refuses TLS 1.0 and 1.1 during the handshake; speaks TLS 1.2 and 1.3', async () => {
    // Security level 0 lets this client offer the old versions: a refusal is the server's.
    for (const version of ['TLSv1', 'TLSv1.1'] as const) {
      expect(
        await handshake({
          minVersion: version,
          maxVersion: version,
          ciphers: 'DEFAULT@SECLEVEL=0',
        }),
        version,
      ).toMatch(
        /^refused ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION|^refused ERR_SSL_UNSUPPORTED_PROTOCOL/,
      );
    }
    expect(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('ok TLSv1.2');
    expect(await handshake({ minVersion: 'TLSv1.3' })).toBe('ok TLSv1.3');
  });

  it('tells browsers to use HTTPS only, for a year (HSTS)', async () => {
    const hsts = await new Promise<string | undefined>((resolvePromise, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/healthz',
          ca: cert,
          servername: 'localhost',
          agent: false,
        },
        (res) => {
          res.resume();
          resolvePromise(res.headers['strict-transport-security']);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(hsts).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('A02 Cryptographic Failures: ciphertexts', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startSecurityServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('the server stores the link only as ciphertext it cannot open', async () => {
    const alice = await cryptoMember(server);
    const org = await alice.createOrganisation('Krypto AB');
    const { linkId, secret } = await alice.addLink(org);
    const row = readStore(server, 'identity', (db) =>
      db.prepare('SELECT link FROM org_links WHERE id = ?').get(linkId),
    );
    const text = JSON.stringify(row);
    for (const value of Object.values(secret)) expect(text).not.toContain(value);
    expect(text).toMatch(/A256GCM/);
  });

  it('one flipped bit in a stored ciphertext is refused by the client, not opened', async () => {
    const alice = await cryptoMember(server);
    const org = await alice.createOrganisation('Bitflip AB');
    const { linkId, secret } = await alice.addLink(org);
    tamperIdentityStore(server, (db) => {
      const { link } = storedLink.parse(
        db.prepare('SELECT link FROM org_links WHERE id = ?').get(linkId),
      );
      const envelope = storedEnvelope.parse(JSON.parse(link));
      const bytes = Buffer.from(envelope.ct, 'base64url');
      bytes[5] = (bytes[5] ?? 0) ^ 0x01;
      envelope.ct = bytes.toString('base64url');
      db.prepare('UPDATE org_links SET link = ? WHERE id = ?').run(
        JSON.stringify(envelope),
        linkId,
      );
    });
    const [stored] = await alice.member.api.org.links.list.query({ orgId: org.orgId });
    const opened = await openLink({ ...org, linkId, keyVersion: 1, envelope: stored?.link }).then(
      (link) => link,
      CODE_OF,
    );
    expect(opened).toBe('DECRYPT_FAILED');
    expect(JSON.stringify(opened)).not.toContain(secret.capability);
  });

  it('an envelope of an unknown version is refused by the server and by the client', async () => {
    const alice = await cryptoMember(server);
    const org = await alice.createOrganisation('Version AB');
    const { envelope } = await alice.addLink(org);
    const future = { ...envelope, v: 2 };
    const response = await callProcedure(
      server.url,
      { api: 'identity', path: 'org.links.add', type: 'mutation' },
      { orgId: org.orgId, linkId: crypto.randomUUID(), keyVersion: 1, link: future },
      { cookie: `__Secure-nyckel_session=${alice.member.jar.token}` },
    );
    expect(wireError(response)?.data.reason).toBe('INVALID_INPUT');
    expect(thrownCode(() => parseEnvelope(future))).toBe('INVALID_ENVELOPE');
  });
});
