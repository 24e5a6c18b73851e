import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface TestServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Collected stdout+stderr of the server, for assertions about logs. */
  output: () => string;
  /** Sends a signal and resolves with the exit code once the process has ended. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Stops the server (if running) and removes the data directory. */
  dispose: () => Promise<void>;
}

/**
 * Starts the real server (`nyckel server`) on a free port and a temporary data directory,
 * exactly as an operator would, and waits until it prints its URL.
 */
export async function startTestServer(
  options: {
    dataDir?: string;
    port?: number;
    env?: NodeJS.ProcessEnv;
    /** Extra `nyckel server` arguments, e.g. `['--no-demo']`. */
    args?: string[];
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'nyckel-test-'));
  const child = spawn(
    process.execPath,
    [
      'bin/nyckel.mjs',
      'server',
      '--port',
      String(options.port ?? 0),
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      ...(options.args ?? []),
    ],
    {
      cwd: repoRoot,
      // No demo population unless the test asks for it: loading it would slow every start.
      env: { ...process.env, LOG_LEVEL: 'info', NYCKEL_DEMO: 'off', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${output}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url,
    dataDir,
    process: child,
    output: () => output,
    stop,
    dispose: async () => {
      await stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
