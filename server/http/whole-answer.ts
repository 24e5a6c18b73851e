import type { ServerResponse } from 'node:http';

type Callback = (error?: Error | null) => void;

const isChunk = (value: unknown): value is string | Uint8Array =>
  typeof value === 'string' || value instanceof Uint8Array;

const callbackIn = (args: readonly unknown[]): Callback | undefined =>
  args.find((arg): arg is Callback => typeof arg === 'function');

const bufferOf = (chunk: string | Uint8Array, encoding: unknown): Buffer =>
  typeof chunk === 'string'
    ? Buffer.from(
        chunk,
        Buffer.isEncoding(String(encoding)) ? (encoding as BufferEncoding) : 'utf8',
      )
    : Buffer.from(chunk);

/**
 * Makes `res` send what its handler writes as one piece with its length, when the handler
 * ends it. tRPC's adapter pipes an answer through a web stream into chunked writes and ends
 * it with one more write: two sends and a stream pipe per answer, about a tenth of a
 * benchmark query's server time at 200 000 companies (issue #6). API answers are JSON of at
 * most about 60 kB, and streamed answers are refused before any handler runs (guards.ts), so
 * nothing waits for a stream here. When someone else answered meanwhile (the deadline, with
 * its own headers), what the handler wrote is dropped, and so is a write after the end.
 */
export function answerInOnePiece(res: ServerResponse): void {
  const chunks: Buffer[] = [];
  const { write, end } = res;
  const restore = () => Object.assign(res, { write, end });
  Object.assign(res, {
    write: (chunk: unknown, ...rest: unknown[]): boolean => {
      if (isChunk(chunk)) chunks.push(bufferOf(chunk, rest[0]));
      const callback = callbackIn(rest);
      if (callback !== undefined) process.nextTick(callback, null);
      return true;
    },
    end: (...args: unknown[]): ServerResponse => {
      const callback = callbackIn(args);
      // Answered already (the deadline): the handler's end goes nowhere, like its writes.
      if (res.writableEnded) {
        if (callback !== undefined) process.nextTick(callback, null);
        return res;
      }
      // Headers sent: an answer of its own under way (sendJson), not the handler's.
      if (res.headersSent) return (end as (...a: unknown[]) => ServerResponse).apply(res, args);
      restore();
      const [chunk, encoding] = args;
      if (isChunk(chunk)) chunks.push(bufferOf(chunk, encoding));
      const body = Buffer.concat(chunks);
      res.setHeader('content-length', body.byteLength);
      return res.end(body, () => callback?.(null));
    },
  });
}
