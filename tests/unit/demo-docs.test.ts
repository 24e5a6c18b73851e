import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from '../../server/finance/demo/archetypes';
import { renderDemoDataTables } from '../../server/finance/demo/docs';

const repoRoot = join(import.meta.dirname, '../..');

/** Markdown with Prettier's table padding taken out, so only the content is compared. */
const normalise = (markdown: string): string =>
  markdown
    .split('\n')
    .map((line) =>
      line.trim().startsWith('|')
        ? line
            .trim()
            .split('|')
            .map((cell) => cell.trim().replace(/^-+$/, '-'))
            .join('|')
        : line.trim(),
    )
    .join('\n');

describe('docs/DEMO-DATA.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs/DEMO-DATA.md'), 'utf8');

  it('holds exactly the assumption tables the generator uses', () => {
    // On a mismatch: `npx tsx server/finance/demo/docs.ts`, paste, `npx prettier --write`.
    expect(normalise(doc)).toContain(normalise(renderDemoDataTables()));
  });

  it('has a table for every archetype', () => {
    for (const archetype of ARCHETYPES) expect(doc).toContain(`### ${archetype.name}`);
  });
});
