import type { IncomingMessage, ServerResponse } from 'node:http';
import { changesState, checkOrigin, refuseCrossOrigin, type AllowedOrigins } from './origin';
import { sendJson } from './respond';

export type ApiName = 'identity' | 'finance';

/**
 * A check every API request passes before its body is read. It answers (refuses) the request
 * and returns true, or returns false to let it through. Guards run in order in server/app.ts;
 * per-route checks such as rate limits are added to that list.
 */
export type ApiGuard = (
  req: IncomingMessage,
  res: ServerResponse,
  api: ApiName,
) => boolean | Promise<boolean>;

/** Runs the guards in order; true when one of them has answered the request. */
export async function refusedByGuards(
  guards: readonly ApiGuard[],
  req: IncomingMessage,
  res: ServerResponse,
  api: ApiName,
): Promise<boolean> {
  for (const guard of guards) {
    if (await guard(req, res, api)) return true;
  }
  return false;
}

/** CSRF: state-changing calls from another site's page are refused (see ./origin.ts). */
export const crossSiteGuard =
  (allowed: () => AllowedOrigins): ApiGuard =>
  (req, res) => {
    if (!changesState(req.method) || checkOrigin(req.headers, allowed()).ok) return false;
    req.resume();
    refuseCrossOrigin(res);
    return true;
  };

const JSON_LINES = 'application/jsonl';

/** Whether tRPC would stream its answer: it reads `trpc-accept`, else the `Accept` list. */
function asksForStream(headers: IncomingMessage['headers']): boolean {
  const trpcAccept = headers['trpc-accept'];
  if (trpcAccept !== undefined) return trpcAccept === JSON_LINES;
  return (headers.accept ?? '').split(',').some((type) => type.trim() === JSON_LINES);
}

/**
 * Both APIs answer in one JSON document. tRPC's streamed (JSON lines) responses are refused:
 * no client of ours asks for them, and their outcomes are only known after the metrics and
 * alerts have looked (a brute force could hide in them).
 */
export const streamedResponseGuard: ApiGuard = (req, res) => {
  if (!asksForStream(req.headers)) return false;
  req.resume();
  sendJson(res, 406, {
    error: {
      message: 'Streamed responses are not offered. Ask for application/json.',
      messageSv: 'Strömmade svar erbjuds inte. Begär application/json.',
      reason: 'STREAMING_REFUSED',
    },
  });
  return true;
};
