import type { IncomingMessage } from 'node:http';

export type BodyResult =
  { ok: true; text: string } | { ok: false; status: 413 | 400; message: string };

/**
 * Reads a request body up to `limit` bytes. Larger bodies are refused as soon as the
 * limit is crossed, without buffering the rest.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false, status: 413, message: 'Request body too large' });
  }
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolvePromise(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        settle({ ok: false, status: 413, message: 'Request body too large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => settle({ ok: false, status: 400, message: 'Request body unreadable' }));
  });
}
