import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBoundaryViolations } from '../../scripts/check-boundaries';

const repoRoot = resolve(import.meta.dirname, '../..');
const fixtures = join(repoRoot, 'tests/fixtures/boundary');

describe('P3: identity and finance server modules are separate', () => {
  it('the real tree has no import path between server/identity and server/finance', () => {
    expect(findBoundaryViolations(repoRoot)).toEqual([]);
  });

  it('the check fails on a fixture where server/finance imports server/identity', () => {
    const violations = findBoundaryViolations(join(fixtures, 'violating'));
    expect(violations).toContainEqual(
      expect.objectContaining({
        file: 'server/finance/router.ts',
        line: 2,
        reason: expect.stringContaining('server/finance reaches server/identity'),
      }),
    );
    expect(violations).toContainEqual(
      expect.objectContaining({ reason: 'server/finance names the identity database file' }),
    );
  });

  it('the check follows imports through modules in between', () => {
    const violations = findBoundaryViolations(join(fixtures, 'indirect'));
    expect(violations).toHaveLength(1);
    expect(violations[0]?.reason).toContain('server/shared/bridge.ts');
  });

  it('the ESLint rule reports the same violation at lint time', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const code = readFileSync(join(fixtures, 'violating/server/finance/router.ts'), 'utf8');
    const [result] = await eslint.lintText(code, {
      filePath: join(repoRoot, 'server/finance/router-fixture.ts'),
    });
    const messages = result?.messages.filter((m) => m.ruleId === 'no-restricted-imports') ?? [];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toContain('P3');
  });
});
