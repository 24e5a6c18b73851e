import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Privacy invariant P3: `server/identity` and `server/finance` never import each other,
 * directly or through any module in between, and neither names the other's database file.
 */
export interface BoundaryViolation {
  file: string;
  line: number;
  reason: string;
}

const MODULES = ['identity', 'finance'] as const;
type Module = (typeof MODULES)[number];
const other = (module: Module): Module => (module === 'identity' ? 'finance' : 'identity');

const SOURCE_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.svelte'];
const IMPORT_PATTERN =
  /(?:\bimport\b\s*(?:[^'"()]*?\bfrom\s*)?|\bexport\b[^'"()]*?\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext)) ? [path] : [];
  });
}

function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((ext) => base + ext),
    ...SOURCE_EXTENSIONS.map((ext) => join(base, `index${ext}`)),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

function importsOf(file: string): { specifier: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT_PATTERN)].map((match) => ({
    specifier: match[1] ?? '',
    // The line of the specifier itself, not of where the statement starts.
    line: text.slice(0, match.index + match[0].length).split('\n').length,
  }));
}

function moduleOf(root: string, file: string): Module | undefined {
  const rel = relative(join(root, 'server'), file).split(/[\\/]/);
  return MODULES.find((module) => rel[0] === module);
}

export function findBoundaryViolations(root: string): BoundaryViolation[] {
  const violations: BoundaryViolation[] = [];
  for (const module of MODULES) {
    const forbidden = other(module);
    const entryFiles = sourceFiles(join(root, 'server', module));
    for (const entry of entryFiles) {
      const text = readFileSync(entry, 'utf8');
      text.split('\n').forEach((line, index) => {
        if (line.includes(`${forbidden}.db`)) {
          violations.push({
            file: relative(root, entry),
            line: index + 1,
            reason: `server/${module} names the ${forbidden} database file`,
          });
        }
      });
      // Walk the import graph from this file; any path into the other module is a leak.
      const seen = new Set<string>([entry]);
      const queue: { file: string; via: string[] }[] = [{ file: entry, via: [] }];
      while (queue.length > 0) {
        const current = queue.shift()!;
        for (const { specifier, line } of importsOf(current.file)) {
          const target = resolveImport(current.file, specifier);
          if (!target || seen.has(target)) continue;
          seen.add(target);
          if (moduleOf(root, target) === forbidden) {
            const chain = [...current.via, relative(root, current.file)];
            violations.push({
              file: relative(root, entry),
              line: current.via.length === 0 ? line : 0,
              reason: `server/${module} reaches server/${forbidden} via ${[...chain, relative(root, target)].join(' → ')}`,
            });
            continue;
          }
          queue.push({ file: target, via: [...current.via, relative(root, current.file)] });
        }
      }
    }
  }
  return violations;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(process.argv[2] ?? '.');
  const violations = findBoundaryViolations(root);
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.reason}`);
  console.log(
    violations.length === 0
      ? 'boundary ok: identity and finance are separate'
      : `${violations.length} boundary violation(s)`,
  );
  process.exit(violations.length === 0 ? 0 : 1);
}
