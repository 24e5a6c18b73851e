import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INITIAL_JS_BUDGET_GZIP_BYTES,
  hasBuild,
  measureInitialJavaScript,
  rootPageNode,
  staticImportsOf,
} from '../../scripts/measure-bundle';

const buildDir = join(import.meta.dirname, '../../build');

describe('reading a built module', () => {
  it('follows static imports and re-exports, never dynamic ones', () => {
    const source =
      'import{a as b}from"../chunks/A.js";import"./B.js";export{c}from"../chunks/C.js";' +
      'const d=()=>import("../nodes/3.js");';
    expect(staticImportsOf(source, '_app/immutable/nodes/2.js')).toEqual([
      '_app/immutable/chunks/A.js',
      '_app/immutable/nodes/B.js',
      '_app/immutable/chunks/C.js',
    ]);
  });

  it("finds the node Kit's dictionary gives the `/` route", () => {
    expect(rootPageNode('const Ct={"/":[2],"/account":[3]};')).toBe(2);
    expect(rootPageNode('const Ct={"/account":[3]};')).toBeUndefined();
  });
});

// `npm test` builds before the unit layer; alone, run `npx vite build` first.
describe.skipIf(!hasBuild(buildDir))('the first screen (`/`) of build/', () => {
  const measured = measureInitialJavaScript(buildDir);

  it('loads Kit, the root layout and the home page', () => {
    const paths = measured.files.map((file) => file.path);
    expect(paths.some((path) => /entry\/start\.[^/]+\.js$/.test(path))).toBe(true);
    expect(paths.some((path) => /entry\/app\.[^/]+\.js$/.test(path))).toBe(true);
    expect(paths.some((path) => /nodes\/0\.[^/]+\.js$/.test(path))).toBe(true);
    expect(measured.files.length).toBeGreaterThan(3);
  });

  it(`stays within ${INITIAL_JS_BUDGET_GZIP_BYTES / 1024} kB of JavaScript, gzip`, () => {
    const report = measured.files.map((f) => `${f.gzipBytes} ${f.path}`).join('\n');
    expect(measured.gzipBytes, report).toBeLessThanOrEqual(INITIAL_JS_BUDGET_GZIP_BYTES);
  });
});

if (!hasBuild(buildDir)) console.warn('bundle budget skipped: no build/ (run npx vite build)');
