import '$lib/zod-jitless';
// A single-page app: everything renders in the browser, the server only serves files and APIs.
export const ssr = false;
export const prerender = false;
