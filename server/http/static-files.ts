import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves the built single-page app. Hashed assets are cached forever; the service worker,
 * the manifest and the HTML shell are always revalidated so a new version is found.
 */
export function createStaticHandler(staticDir: string): StaticHandler {
  if (!existsSync(join(staticDir, 'index.html'))) {
    return (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The app has not been built yet. Run `npm run build` (npm start does it for you).\n');
    };
  }
  const serve = sirv(staticDir, {
    single: true,
    etag: true,
    gzip: false,
    brotli: false,
    setHeaders: (res, pathname) => {
      if (pathname.startsWith('/_app/immutable/')) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      } else {
        res.setHeader('cache-control', 'no-cache');
      }
      if (pathname.endsWith('.webmanifest')) {
        res.setHeader('content-type', 'application/manifest+json; charset=utf-8');
      }
      if (pathname === '/service-worker.js') {
        res.setHeader('service-worker-allowed', '/');
      }
    },
  });
  return (req, res) =>
    serve(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    });
}
