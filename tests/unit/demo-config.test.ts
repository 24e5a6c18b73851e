import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { MAX_DEMO_ENTITIES } from '../../server/finance/demo';

describe('demo population settings', () => {
  it('default to on, 30 000 entities, excluded from statistics at 200 real entities', () => {
    const result = loadConfig({});
    expect(result.ok && result.config).toMatchObject({
      demo: 'on',
      demoEntities: 30_000,
      demoExcludeAt: 200,
    });
  });

  it('are read from NYCKEL_DEMO, NYCKEL_DEMO_ENTITIES and NYCKEL_DEMO_EXCLUDE_AT', () => {
    const result = loadConfig({
      NYCKEL_DEMO: 'off',
      NYCKEL_DEMO_ENTITIES: '500',
      NYCKEL_DEMO_EXCLUDE_AT: '50',
    });
    expect(result.ok && result.config).toMatchObject({
      demo: 'off',
      demoEntities: 500,
      demoExcludeAt: 50,
    });
  });

  it('--no-demo (the `demo: off` override) wins over NYCKEL_DEMO=on', () => {
    const result = loadConfig({ NYCKEL_DEMO: 'on' }, { demo: 'off' });
    expect(result.ok && result.config.demo).toBe('off');
  });

  it('accepts 100 to 300 000 entities, the most the generator makes', () => {
    expect(MAX_DEMO_ENTITIES).toBe(300_000);
    for (const good of ['100', String(MAX_DEMO_ENTITIES)]) {
      expect(loadConfig({ NYCKEL_DEMO_ENTITIES: good }).ok).toBe(true);
    }
  });

  it('names the variable of every invalid value', () => {
    const cases: [Record<string, string>, string][] = [
      [{ NYCKEL_DEMO: 'yes' }, 'NYCKEL_DEMO:'],
      [{ NYCKEL_DEMO_ENTITIES: '99' }, 'NYCKEL_DEMO_ENTITIES:'],
      [{ NYCKEL_DEMO_ENTITIES: String(MAX_DEMO_ENTITIES + 1) }, 'NYCKEL_DEMO_ENTITIES:'],
      [{ NYCKEL_DEMO_ENTITIES: '1000.5' }, 'NYCKEL_DEMO_ENTITIES:'],
      [{ NYCKEL_DEMO_EXCLUDE_AT: '0' }, 'NYCKEL_DEMO_EXCLUDE_AT:'],
      [{ NYCKEL_DEMO_EXCLUDE_AT: 'many' }, 'NYCKEL_DEMO_EXCLUDE_AT:'],
    ];
    for (const [env, prefix] of cases) {
      const result = loadConfig(env);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.some((error) => error.startsWith(prefix))).toBe(true);
    }
  });
});
