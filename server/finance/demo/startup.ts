import type { Logger } from 'pino';
import type { ServerConfig } from '../../config';
import type { FinanceStore } from '../store';
import { loadDemoPopulation } from './loader';

/**
 * At server start, before listening: loads the demo population into an empty finance store
 * when `NYCKEL_DEMO=on`, and logs one line with the count and the time taken (nothing about
 * any entity). A store holding any entity, real or synthetic, is left as it is.
 */
export function loadDemoAtStart(
  store: FinanceStore,
  config: Pick<ServerConfig, 'demo' | 'demoEntities'>,
  log: Logger,
): { loaded: number } {
  if (config.demo === 'off') return { loaded: 0 };
  const started = performance.now();
  const { loaded } = loadDemoPopulation(store, { entities: config.demoEntities });
  const ms = Math.round(performance.now() - started);
  if (loaded > 0) log.info({ demoEntities: loaded, ms }, 'demo population loaded');
  else log.debug('demo population not loaded: the finance store already has entities');
  return { loaded };
}
