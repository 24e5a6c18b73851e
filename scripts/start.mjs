// `npm start`: install if needed, build if stale, then run the server in the foreground.
import { spawn } from 'node:child_process';
import { ensureBuilt, ensureInstalled, repoRoot } from './prepare.mjs';

ensureInstalled();
if (ensureBuilt() !== 0) {
  console.error('The build failed; see the output above.');
  process.exit(1);
}

const child = spawn(process.execPath, ['bin/nyckel.mjs', 'server', ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
