/**
 * The app's Content-Security-Policy, in SvelteKit's `kit.csp.directives` format (keywords
 * without quotes). It is the one list for both places the policy is enforced:
 *
 * - `svelte.config.js` gives it to SvelteKit, which adds the hash of its inline bootstrap
 *   script and writes the policy into a `<meta http-equiv>` of the built `index.html`;
 * - `server/http/csp.ts` sends it as a header on every response, with the hashes of the inline
 *   scripts of the `index.html` it serves and `frame-ancestors`, which a `<meta>` cannot carry.
 *
 * Plain JavaScript so that `svelte.config.js` (loaded by Node without a TypeScript loader) can
 * import it.
 *
 * @type {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>}
 */
export const APP_CSP_DIRECTIVES = {
  'default-src': ['self'],
  // hash-wasm compiles WebAssembly (Argon2id, SHA-256) in the workers and the page.
  'script-src': ['self', 'wasm-unsafe-eval'],
  // The SIE and KDF workers are same-origin module scripts; no blob: workers.
  'worker-src': ['self'],
  // Styles only: Svelte sets style attributes and transitions insert <style> elements, and
  // ECharts' SVG renderer writes style attributes. No script can run from a style.
  'style-src': ['self', 'unsafe-inline'],
  'img-src': ['self', 'data:'],
  'font-src': ['self'],
  'manifest-src': ['self'],
  'connect-src': ['self'],
  'object-src': ['none'],
  'base-uri': ['none'],
  'form-action': ['self'],
  'frame-ancestors': ['none'],
};
