import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, CONFIG_ENV, loadConfig } from '../../server/config';

describe('server configuration', () => {
  it('uses the documented defaults', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({ host: '127.0.0.1', port: 8080, logLevel: 'info' });
    expect(result.config.dataDir.endsWith('/data')).toBe(true);
  });

  it('reads the environment, and flags win over the environment', () => {
    const env = { NYCKEL_DATA_DIR: '/tmp/a', PORT: '9000', HOST: '0.0.0.0' };
    const fromEnv = loadConfig(env);
    expect(fromEnv.ok && fromEnv.config).toMatchObject({
      dataDir: '/tmp/a',
      port: 9000,
      host: '0.0.0.0',
    });
    const withFlags = loadConfig(env, { port: '9100', dataDir: '/tmp/b' });
    expect(withFlags.ok && withFlags.config).toMatchObject({ dataDir: '/tmp/b', port: 9100 });
  });

  it('reports every invalid setting by its environment variable name', () => {
    const result = loadConfig({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.some((e) => e.startsWith('PORT:'))).toBe(true);
    expect(result.errors.some((e) => e.startsWith('LOG_LEVEL:'))).toBe(true);
  });

  it('documents an environment variable for every setting', () => {
    expect(Object.keys(CONFIG_ENV).sort()).toEqual(Object.keys(CONFIG_DEFAULTS).sort());
  });
});
