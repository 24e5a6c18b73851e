import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // A single-page app: every route falls back to index.html, the server serves it.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    serviceWorker: { register: false },
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
