import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect } from 'vitest';
import { mailbox } from './identity-http';
import { repoRoot, startTestServer, type TestServer } from './server';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `nyckel …` as a user would: a separate process, its output and exit code. */
export const runNyckel = (args: string[], env: Record<string, string> = {}) =>
  new Promise<CliRun>((resolvePromise) => {
    const child = spawn(process.execPath, ['bin/nyckel.mjs', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });

/**
 * A real server for a file of CLI tests (started before, stopped after), `nyckel` pointed at
 * it, and new accounts registered and verified through the CLI itself, as a user would.
 */
export function cliAgainstServer() {
  let server: TestServer | undefined;
  let mail: ReturnType<typeof mailbox> | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    mail = mailbox(server.dataDir);
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const nyckel = (args: string[], env: Record<string, string>) =>
    runNyckel(args, { NYCKEL_SERVER: server!.url, ...env });
  /** A verified account's environment for `nyckel` (NYCKEL_EMAIL, NYCKEL_PASSWORD). */
  const account = async (name: string, passwordWords: string) => {
    const env = {
      NYCKEL_EMAIL: `${name}-${crypto.randomUUID().slice(0, 6)}@example.se`,
      NYCKEL_PASSWORD: `${name} ${passwordWords}`,
    };
    expect((await nyckel(['account', 'register'], env)).code).toBe(0);
    const token = (await mail!.next(env.NYCKEL_EMAIL, 'verify')).token!;
    expect((await nyckel(['account', 'verify', '--token', token], {})).code).toBe(0);
    return env;
  };
  return { nyckel, account };
}
