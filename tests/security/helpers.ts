import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AnyTRPCProcedure } from '@trpc/server';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { z } from 'zod';
import { FINANCE_PAYLOAD_FORMAT, type FinancePayload } from '../../domain/sie-summary';
import { financeRouter } from '../../server/finance/router';
import { generateDemoPopulation } from '../../server/finance/demo/index';
import { LIMITER_NAMES } from '../../server/http/rate-limit-config';
import { identityRouter } from '../../server/identity/router';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Shared tools of the security suite (OWASP Top 10, fuzzing, abuse limits): raw HTTP calls
 * an attacker would make, the list of every procedure of both routers, and data to attack.
 */

/** Limits no suite's own traffic from 127.0.0.1 reaches, for tests that are not about them. */
export const UNLIMITED = LIMITER_NAMES.map((name) => `${name}=1000000/1`).join(',');

export type Api = 'identity' | 'finance';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * One HTTP request, as raw as an attacker sends it; `localAddress` picks the loopback
 * address the request comes from (127.0.0.2, 127.0.0.3, … are distinct clients).
 */
export function send(
  base: string,
  path: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    localAddress?: string;
  } = {},
): Promise<RawResponse> {
  // The path goes out exactly as given: no client-side normalisation of `..` or escapes.
  const { hostname, port } = new URL(base);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        path,
        // A connection per request: no race with the server closing an idle keep-alive one.
        agent: false,
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: parseJson(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** One procedure as a client calls it. */
export interface ProcedureEntry {
  api: Api;
  path: string;
  type: ProcedureType;
  /** The input schema (zod), if the procedure takes input. */
  input: unknown;
}

const isProcedure = (value: unknown): value is AnyTRPCProcedure =>
  typeof value === 'function' && '_def' in value;

const entriesOf = (api: Api, procedures: Record<string, unknown>): ProcedureEntry[] =>
  Object.entries(procedures).flatMap(([path, value]) =>
    isProcedure(value) ? [{ api, path, type: value._def.type, input: value._def.inputs[0] }] : [],
  );

/**
 * Every procedure of both routers, read from the router definitions: a procedure added
 * later is attacked and fuzzed without touching this suite.
 */
export const ALL_PROCEDURES: readonly ProcedureEntry[] = [
  ...entriesOf('identity', identityRouter._def.procedures),
  ...entriesOf('finance', financeRouter._def.procedures),
];

/**
 * Calls a procedure the way the clients do: identity queries by GET with `?input=`, identity
 * mutations by POST, finance calls always by POST (the capability never goes into a URL).
 */
export function callProcedure(
  base: string,
  entry: Pick<ProcedureEntry, 'api' | 'path' | 'type'>,
  input: unknown,
  options: { cookie?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers['cookie'] = options.cookie;
  const path = `/api/${entry.api}/${entry.path}`;
  const body = input === undefined ? undefined : JSON.stringify(input);
  if (entry.api === 'identity' && entry.type === 'query') {
    const query = body === undefined ? '' : `?input=${encodeURIComponent(body)}`;
    return send(base, `${path}${query}`, { headers, localAddress: options.localAddress });
  }
  headers['content-type'] = 'application/json';
  return send(base, path, {
    method: 'POST',
    headers,
    body: body ?? '',
    localAddress: options.localAddress,
  });
}

/** The `data` of a tRPC error response, when it is one. */
const errorResponse = z.object({
  error: z.object({
    message: z.string(),
    data: z.object({
      reason: z.string(),
      messageSv: z.string(),
      httpStatus: z.number(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
});
export type WireError = z.infer<typeof errorResponse>['error'];

/** The tRPC error of a single-call response, or null when it is none. */
export const wireError = (response: RawResponse): WireError | null => {
  const parsed = errorResponse.safeParse(response.json);
  return parsed.success ? parsed.data.error : null;
};

/** Anything in a response body that betrays the server's insides. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\n\s+at\s/, // stack frame lines
  /\bat\s+\S+\s+\((?:file:|\/|node:)/, // "at fn (file:///…" or "(/work/…" or "(node:internal"
  /\/(?:work|home|root|usr|tmp)\/[\w./-]+\.(?:ts|js|mjs)/, // file paths
  /SQLITE_[A-Z]+/,
  /SqliteError|DrizzleQueryError|TypeError|ReferenceError|SyntaxError: /,
  /node_modules/,
];

export const leaksOf = (text: string): string[] =>
  LEAK_PATTERNS.filter((pattern) => pattern.test(text)).map(String);

/** A capability as the client makes one: 32 random bytes, and the SHA-256 the server keeps. */
export function newCapability() {
  const raw = randomBytes(32);
  return {
    capability: raw.toString('base64url'),
    capabilityHash: createHash('sha256').update(raw).digest('hex'),
  };
}

/** Upload payloads with plausible books: the demo population's companies, as payloads. */
export function demoPayloads(count: number, seed = 9_092_025): FinancePayload[] {
  const payloads: FinancePayload[] = [];
  for (const company of generateDemoPopulation({ entities: count, seed })) {
    payloads.push({
      format: FINANCE_PAYLOAD_FORMAT,
      profile: { sni: company.sni3, employeeBand: company.employeeBand, county: company.county },
      years: company.years.map((year) => ({
        start: year.start,
        end: year.end,
        employees: year.employees,
        balance: year.balance,
        result: year.result,
      })),
    });
  }
  return payloads;
}

const createdEntity = z.object({ result: z.object({ data: z.object({ entityId: z.string() }) }) });

/** A company's finance entity with one uploaded payload, as the app creates it. */
export async function createEntityWithYears(base: string, payload: FinancePayload) {
  const { capability, capabilityHash } = newCapability();
  const created = await callProcedure(
    base,
    { api: 'finance', path: 'createEntity', type: 'mutation' },
    { capabilityHash, profile: payload.profile },
  );
  const { entityId } = createdEntity.parse(created.json).result.data;
  const uploaded = await callProcedure(
    base,
    { api: 'finance', path: 'uploadYears', type: 'mutation' },
    { entityId, capability, payload },
  );
  if (uploaded.status !== 200) throw new Error(`upload refused: ${uploaded.text}`);
  return { entityId, capability };
}

/** A read-only look at one of the server's databases (WAL mode: safe while it runs). */
export function readStore<T>(
  server: TestServer,
  store: 'identity' | 'finance',
  read: (db: Database.Database) => T,
): T {
  const db = new Database(join(server.dataDir, `${store}.db`), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The tables of a store and their row counts, plus its integrity check. */
export function storeCensus(server: TestServer, store: 'identity' | 'finance') {
  return readStore(server, store, (db) => {
    const tables = z
      .array(z.string())
      .parse(
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
          .pluck()
          .all(),
      );
    const rows = Object.fromEntries(
      tables.map((table) => [
        table,
        z.number().parse(db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get()),
      ]),
    );
    const integrity = z.string().parse(db.prepare('PRAGMA integrity_check').pluck().get());
    return { tables, rows, integrity };
  });
}

/** The JSON log lines a server wrote so far. */
const logLine = z.record(z.string(), z.unknown());

export const logLines = (server: TestServer): Record<string, unknown>[] =>
  server
    .output()
    .split('\n')
    .flatMap((line) => {
      const parsed = logLine.safeParse(parseJson(line));
      return parsed.success ? [parsed.data] : [];
    });

/**
 * The log lines matching `wanted`, once at least `count` have arrived: the server's output
 * reaches the test through a pipe, a little after the response it belongs to.
 */
export async function awaitLogLines(
  server: TestServer,
  wanted: (line: Record<string, unknown>) => boolean,
  count = 1,
): Promise<Record<string, unknown>[]> {
  for (let waited = 0; waited < 5000; waited += 25) {
    const lines = logLines(server).filter(wanted);
    if (lines.length >= count) return lines;
    await new Promise((done) => setTimeout(done, 25));
  }
  return logLines(server).filter(wanted);
}

/** A test server with rate limits that stay out of the way unless the test sets its own. */
export const startSecurityServer = (env: Record<string, string> = {}) =>
  startTestServer({ env: { NYCKEL_RATE_LIMITS: UNLIMITED, ...env } });
