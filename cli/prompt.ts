import { createInterface } from 'node:readline';

/**
 * Reads a secret from the terminal without echoing it. Used only when NYCKEL_PASSWORD is not
 * set; refuses to read from a pipe silently so scripts fail loudly instead of hanging.
 */
export function promptSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    return Promise.reject(new Error('no terminal to ask for the password: set NYCKEL_PASSWORD'));
  }
  return new Promise((resolvePromise) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const mute = rl as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(question);
    mute._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolvePromise(answer);
    });
  });
}
