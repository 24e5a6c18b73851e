import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CSP_DIRECTIVES } from './csp-directives.js';

/** CSP keywords that are written in single quotes (SvelteKit's format leaves them bare). */
const QUOTED_KEYWORDS = new Set([
  'self',
  'none',
  'unsafe-inline',
  'unsafe-eval',
  'unsafe-hashes',
  'wasm-unsafe-eval',
  'strict-dynamic',
  'report-sample',
]);

const HASH_SOURCE = /^sha(256|384|512)-[A-Za-z0-9+/]+=*$/;

const quoted = (source: string): string =>
  QUOTED_KEYWORDS.has(source) || HASH_SOURCE.test(source) ? `'${source}'` : source;

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/**
 * The `sha256-…` sources of every inline `<script>` of an HTML document (scripts with a `src`
 * need none: `'self'` covers them). The text is hashed as the browser sees it: the HTML parser
 * turns CR LF and lone CR into LF before the script element gets its text.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    const attributes = match[1] ?? '';
    if (/\bsrc\s*=/i.test(attributes)) continue;
    const text = (match[2] ?? '').replace(/\r\n?/g, '\n');
    hashes.add(`sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`);
  }
  return [...hashes];
}

/** The policy as a header value: the shared directives plus the given script hashes. */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  return Object.entries(APP_CSP_DIRECTIVES)
    .flatMap(([name, sources]) => {
      // Every directive of the app's policy is a source list (no boolean directives).
      if (!Array.isArray(sources)) return [];
      const listed: readonly string[] = sources;
      const all = name === 'script-src' ? [...listed, ...scriptHashes] : listed;
      return [[name, ...all.map(quoted)].join(' ')];
    })
    .join('; ');
}

/**
 * The policy for the app in `staticDir`, read once at start: the hashes of the inline scripts
 * of its `index.html` (the shell every app route serves). Without a built app the policy
 * allows no inline script at all. A rebuilt app needs a restart, as the static file list does.
 */
export function contentSecurityPolicyFor(staticDir: string): string {
  const indexFile = join(staticDir, 'index.html');
  const html = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : '';
  return contentSecurityPolicy(inlineScriptHashes(html));
}
