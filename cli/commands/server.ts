import type { Command } from 'commander';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { startServer } from '../../server/app';

interface ServerOptions {
  data?: string;
  port?: string;
  host?: string;
  /** False with `--no-demo`. */
  demo?: boolean;
}

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Start the Nyckel server (app, identity API, finance API) in one process')
    .option(
      '--data <dir>',
      'data directory holding identity.db and finance.db (env NYCKEL_DATA_DIR)',
    )
    .option('--port <n>', 'TCP port, 0 for any free port (env PORT)')
    .option('--host <h>', 'address to listen on (env HOST)')
    .option('--no-demo', 'do not load or use the synthetic demo population (env NYCKEL_DEMO=off)')
    .action(async (options: ServerOptions) => {
      const loaded = loadConfig(process.env, {
        dataDir: options.data,
        port: options.port,
        host: options.host,
        demo: options.demo === false ? 'off' : undefined,
      });
      if (!loaded.ok) {
        throw new Error(`invalid configuration:\n  ${loaded.errors.join('\n  ')}`);
      }
      const { config } = loaded;
      const log = createLogger(config.logLevel);
      const running = await startServer(config, log);
      log.info({ url: running.url, dataDir: config.dataDir }, 'listening');
      process.stdout.write(`Nyckel is running at ${running.url}\n`);

      await new Promise<void>((resolvePromise) => {
        const stop = (signal: NodeJS.Signals) => {
          running.shutdown(signal).then(resolvePromise, resolvePromise);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
