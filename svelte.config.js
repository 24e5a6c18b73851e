import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { APP_CSP_DIRECTIVES } from './server/http/csp-directives.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // A single-page app: every route falls back to index.html, the server serves it.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    serviceWorker: { register: false },
    // The app's CSP (one list, shared with the server's header): Kit hashes its inline
    // bootstrap script and puts the policy in a <meta> of the built index.html. The server
    // sends the same policy, with frame-ancestors, as a header on every response.
    csp: { mode: 'hash', directives: APP_CSP_DIRECTIVES },
    typescript: {
      config: (tsconfig) => ({
        ...tsconfig,
        include: [
          ...tsconfig.include,
          '../server/**/*.ts',
          '../workers/**/*.ts',
          '../domain/**/*.ts',
          '../cli/**/*.ts',
          '../tests/**/*.ts',
          '../bench/**/*.ts',
          '../scripts/**/*.ts',
          '../*.config.ts',
        ],
      }),
    },
  },
};

export default config;
