import { spawn } from 'node:child_process';
import { repoRoot } from './server';

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
