import type { Logger } from 'pino';
import type { ServerConfig } from '../config';
import { offsetFileClock, systemClock } from './clock';
import { createIdentityDeps, identityContextFactory, type IdentityDeps } from './context';
import { createMailer } from './mail';
import type { IdentityStore } from './store';

export interface IdentityApi {
  deps: IdentityDeps;
  createContext: ReturnType<typeof identityContextFactory>;
}

/**
 * Builds everything the identity tRPC handler needs from the server configuration: clock,
 * mailer, server secrets. `listeningOrigin` is used for mailed links unless
 * `NYCKEL_PUBLIC_ORIGIN` is set.
 */
export async function createIdentityApi(options: {
  store: IdentityStore;
  config: Pick<ServerConfig, 'dataDir' | 'publicOrigin' | 'smtpUrl' | 'mailFrom' | 'testClockFile'>;
  log: Logger;
  listeningOrigin: () => string;
}): Promise<IdentityApi> {
  const { config, log } = options;
  if (config.testClockFile) {
    log.warn(
      'NYCKEL_TEST_CLOCK_FILE is set: the identity API uses a test clock (never in production)',
    );
  }
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    dataDir: config.dataDir,
    log,
  });
  if (mailer.mode === 'outbox') {
    log.info(
      'no NYCKEL_SMTP_URL: mails are written to the outbox directory and their links logged',
    );
  }
  const deps = await createIdentityDeps({
    store: options.store,
    mailer,
    log,
    clock: config.testClockFile ? offsetFileClock(config.testClockFile) : systemClock,
    publicOrigin: () => config.publicOrigin || options.listeningOrigin(),
  });
  return { deps, createContext: identityContextFactory(deps) };
}
