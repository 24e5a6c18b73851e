import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityClient } from '../helpers/identity-http';
import type { TestServer } from '../helpers/server';
import {
  ALL_PROCEDURES,
  callProcedure,
  leaksOf,
  send,
  startSecurityServer,
  type ProcedureEntry,
  type RawResponse,
} from './helpers';
import { arbitraryOf, replaceAt, type JsonPath } from './schema-arbitrary';
import { buildWorld, cookieOf, type World } from './world';

/**
 * API fuzzing (issue #9): every procedure of both routers, read from the router definitions,
 * gets random JSON of random shapes and sizes, inputs generated from its own schema, and
 * such inputs with one part replaced by random JSON; anonymously and with a session (support
 * procedures with a support session). Whatever arrives, the answer is never a 500 and never
 * shows the server's insides (stack frames, file paths, SQLite or JS error names).
 */
const RUNS = Number(process.env['NYCKEL_FUZZ_RUNS'] ?? 20);

let server: TestServer;
let world: World;
/** A session of its own per identity procedure: fuzzing `logout` ends only its own. */
const sessions = new Map<string, string>();

beforeAll(async () => {
  server = await startSecurityServer();
  world = await buildWorld(server);
  // All sessions first: fuzzing changePassword with wrong current keys locks the account.
  for (const entry of ALL_PROCEDURES.filter((p) => p.api === 'identity')) {
    const account = entry.path.startsWith('support.') ? world.support.account : world.alice.account;
    const client = identityClient(server.url);
    await client.api.login.mutate({ email: account.email, authKey: account.authKey });
    sessions.set(entry.path, cookieOf(client));
  }
});
afterAll(async () => {
  await server?.dispose();
});

/** Random JSON: any shape, now and then large. */
const randomJson = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 5 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1000, maxLength: 200_000 }) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 500 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Every path in a JSON value, containers included. */
function allPaths(value: unknown, path: JsonPath = []): JsonPath[] {
  const here = [path];
  if (Array.isArray(value)) {
    return [...here, ...value.flatMap((item, index) => allPaths(item, [...path, index]))];
  }
  if (typeof value === 'object' && value !== null) {
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, item]) => allPaths(item, [...path, key])),
    ];
  }
  return here;
}

/** Random JSON, schema-shaped inputs, and schema-shaped inputs with one part made random. */
function inputsFor(entry: ProcedureEntry): fc.Arbitrary<unknown> {
  if (entry.input === undefined) return randomJson;
  const shaped = arbitraryOf(entry.input);
  const mutated = shaped.chain((value) => {
    const paths = allPaths(value);
    return fc
      .tuple(fc.integer({ min: 0, max: paths.length - 1 }), fc.jsonValue({ maxDepth: 3 }))
      .map(([index, replacement]) => replaceAt(value, paths[index] ?? [], replacement));
  });
  return fc.oneof(
    { weight: 2, arbitrary: randomJson },
    { weight: 2, arbitrary: shaped },
    { weight: 3, arbitrary: mutated },
  );
}

/** Answers by API and status: proof that the fuzzing reached past input validation. */
const tally = new Map<string, number>();

/** What every answer must satisfy, whatever was sent. */
function expectComposure(response: RawResponse, what: string) {
  const key = `${what.split(/[ .]/)[0]} ${response.status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
  expect(response.status, `${what}: ${response.text.slice(0, 300)}`).not.toBe(500);
  expect(response.status, what).toBeLessThan(500);
  expect(leaksOf(response.text), `${what}: ${response.text.slice(0, 300)}`).toEqual([]);
}

const fuzz = async (entry: ProcedureEntry, cookie: string | undefined) => {
  await fc.assert(
    fc.asyncProperty(inputsFor(entry), async (input) => {
      const response = await callProcedure(server.url, entry, input, { cookie });
      expectComposure(response, `${entry.api}.${entry.path}`);
    }),
    { numRuns: RUNS },
  );
};

describe('API fuzzing: never a 500, never a stack trace', () => {
  it('enumerates both routers', () => {
    const names = ALL_PROCEDURES.map((p) => `${p.api}.${p.path}`);
    for (const known of ['identity.login', 'identity.org.invite', 'finance.uploadYears']) {
      expect(names).toContain(known);
    }
    expect(names.length).toBeGreaterThanOrEqual(35);
  });

  describe.each(ALL_PROCEDURES.filter((p) => p.api === 'identity'))('identity.$path', (entry) => {
    it('anonymous callers', async () => {
      await fuzz(entry, undefined);
    });
    it('signed-in callers', async () => {
      await fuzz(entry, sessions.get(entry.path));
    });
  });

  describe.each(ALL_PROCEDURES.filter((p) => p.api === 'finance'))('finance.$path', (entry) => {
    it('any caller (finance calls carry no session)', async () => {
      await fuzz(entry, undefined);
    });
  });

  it('batches of random procedures with random inputs', async () => {
    const entries = fc.constantFrom(...ALL_PROCEDURES);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<ProcedureEntry['api']>('identity', 'finance'),
        fc.array(fc.tuple(entries, randomJson), { minLength: 1, maxLength: 12 }),
        async (api, calls) => {
          const own = calls.filter(([entry]) => entry.api === api);
          if (own.length === 0) return;
          const paths = own.map(([entry]) => entry.path).join(',');
          const body = Object.fromEntries(own.map(([, input], index) => [index, input]));
          const response = await send(server.url, `/api/${api}/${paths}?batch=1`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          expectComposure(response, `${api} batch ${paths}`);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('bodies that are not JSON, and inputs in the wrong place', async () => {
    const bodies = fc.oneof(
      fc.string({ maxLength: 2000 }),
      fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom('{', '[1,', '{"0":', '\u0000', '{"__proto__":{"x":1}}', 'null'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ALL_PROCEDURES), bodies, async (entry, body) => {
        const path = `/api/${entry.api}/${entry.path}`;
        const posted = await send(server.url, path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expectComposure(posted, `POST ${path}`);
        const asQuery = await send(
          server.url,
          `${path}?input=${encodeURIComponent(body.toString())}`,
        );
        expectComposure(asQuery, `GET ${path}`);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('reached the procedures themselves, not only their validation', () => {
    const seen = [...tally.keys()];
    // Schema-shaped inputs get past validation: unknown capabilities, organisations, tokens.
    expect(seen).toContain('finance 401');
    expect(seen).toContain('identity 404');
    expect(seen.filter((key) => key.startsWith('identity 2')).length).toBeGreaterThan(0);
    expect(seen.filter((key) => key.startsWith('finance 2')).length).toBeGreaterThan(0);
  });

  it('the stores are intact afterwards and the data attacked is still there', async () => {
    const years = await callProcedure(
      server.url,
      { api: 'finance', path: 'listYears', type: 'query' },
      { entityId: world.alice.entityId, capability: world.alice.capability },
    );
    expect(years.status).toBe(200);
    const links = await world.alice.client.api.org.links.list.query({ orgId: world.alice.orgId });
    expect(links.map((l) => l.linkId)).toContain(world.alice.linkId);
  });
});
