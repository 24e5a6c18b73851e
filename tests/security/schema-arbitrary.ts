import fc from 'fast-check';

/**
 * fast-check arbitraries read from a procedure's zod input schema, so attacks reach past the
 * first validation step: strings match their patterns and lengths, numbers their bounds,
 * objects have exactly their keys. Refinements (canonical base64url, Luhn, …) are not
 * modelled: such values are best effort, which is what a fuzzer wants anyway. Zod's internal
 * definitions (`_zod.def`) are read, not imported as types, so a zod update that changes
 * them degrades this to random JSON instead of breaking the suite.
 */

const get = (value: unknown, key: string): unknown =>
  (typeof value === 'object' || typeof value === 'function') && value !== null
    ? Reflect.get(value, key)
    : undefined;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const numberOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

interface Check {
  check: unknown;
  def: unknown;
}

const checksOf = (def: unknown): Check[] =>
  list(get(def, 'checks')).map((check) => {
    const checkDef = get(get(check, '_zod'), 'def');
    return { check: get(checkDef, 'check'), def: checkDef };
  });

/** A string of the right length made from a generated one (repeating or cutting it). */
const fitLength = (text: string, min: number, max: number): string => {
  let fitted = text;
  while (fitted.length < min) fitted += text === '' ? 'a' : text;
  return fitted.slice(0, max);
};

function stringArbitrary(def: unknown): fc.Arbitrary<string> {
  let min = 0;
  let max = 64;
  let pattern: RegExp | undefined;
  for (const { check, def: checkDef } of checksOf(def)) {
    if (check === 'min_length') min = numberOr(get(checkDef, 'minimum'), min);
    if (check === 'max_length') max = Math.min(max, numberOr(get(checkDef, 'maximum'), max));
    if (check === 'length_equals') min = max = numberOr(get(checkDef, 'length'), min);
    const candidate = get(checkDef, 'pattern');
    // fast-check generates from d/g/m/s/u patterns only; without `i` it still matches.
    if (check === 'string_format' && candidate instanceof RegExp) {
      pattern = new RegExp(candidate.source, candidate.flags.replace(/[^dgmsu]/g, ''));
    }
  }
  max = Math.max(min, max);
  const base = pattern ? fc.stringMatching(pattern) : fc.string({ minLength: min, maxLength: max });
  return base.map((text) => fitLength(text, min, max));
}

function numberArbitrary(def: unknown): fc.Arbitrary<number> {
  let min = -1e9;
  let max = 1e9;
  // z.int() says so in its own definition, z.number().int() in a check.
  let integer = typeof get(def, 'format') === 'string';
  for (const { check, def: checkDef } of checksOf(def)) {
    if (check === 'greater_than') min = Math.max(min, numberOr(get(checkDef, 'value'), min));
    if (check === 'less_than') max = Math.min(max, numberOr(get(checkDef, 'value'), max));
    if (check === 'number_format') integer = true;
  }
  if (max < min) return fc.constant(min);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of (mostly) valid inputs of a zod schema; random JSON for anything unknown. */
export function arbitraryOf(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const def = get(get(schema, '_zod'), 'def');
  if (depth > 16) return fc.constant(null);
  const inner = (key: string) => arbitraryOf(get(def, key), depth + 1);
  switch (get(def, 'type')) {
    case 'string':
      return stringArbitrary(def);
    case 'number':
      return numberArbitrary(def);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'literal': {
      const values = list(get(def, 'values'));
      return values.length > 0 ? fc.constantFrom(...values) : fc.constant(null);
    }
    case 'enum': {
      const entries = Object.values(get(def, 'entries') ?? {});
      return entries.length > 0 ? fc.constantFrom(...entries) : fc.constant(null);
    }
    case 'object': {
      const shape = get(def, 'shape');
      const keys = typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
      return fc.record(
        Object.fromEntries(keys.map((key) => [key, arbitraryOf(get(shape, key), depth + 1)])),
      );
    }
    case 'array': {
      let min = 0;
      let max = 3;
      for (const { check, def: checkDef } of checksOf(def)) {
        if (check === 'min_length') min = numberOr(get(checkDef, 'minimum'), min);
        if (check === 'max_length') max = Math.min(max, numberOr(get(checkDef, 'maximum'), max));
      }
      return fc.array(inner('element'), { minLength: min, maxLength: Math.max(min, max) });
    }
    case 'tuple':
      return fc.tuple(...list(get(def, 'items')).map((item) => arbitraryOf(item, depth + 1)));
    case 'union': {
      const options = list(get(def, 'options')).map((option) => arbitraryOf(option, depth + 1));
      return options.length > 0 ? fc.oneof(...options) : fc.jsonValue();
    }
    case 'optional':
      return fc.option(inner('innerType'), { nil: undefined });
    case 'nullable':
      return fc.option(inner('innerType'), { nil: null });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return inner('innerType');
    case 'pipe': {
      // Normalising transforms (trim, lower-case) keep a value that is valid for the output
      // side valid for the input side too, and the output side says more; a transform on
      // the way out leaves only the input side to read.
      const out = get(get(get(def, 'out'), '_zod'), 'def');
      return get(out, 'type') === 'transform' ? inner('in') : inner('out');
    }
    case 'record':
      return fc.dictionary(
        inner('keyType').map((key) => String(key)),
        inner('valueType'),
        { maxKeys: 3 },
      );
    case 'intersection':
      return fc
        .tuple(inner('left'), inner('right'))
        .map(([left, right]) =>
          typeof left === 'object' && typeof right === 'object' ? { ...left, ...right } : left,
        );
    case 'lazy': {
      const getter = get(def, 'getter');
      return typeof getter === 'function' ? arbitraryOf(getter(), depth + 1) : fc.jsonValue();
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** One generated input of a schema (deterministic for a seed). */
export const sampleOf = (schema: unknown, seed: number): unknown =>
  fc.sample(arbitraryOf(schema), { numRuns: 1, seed })[0];

export type JsonPath = readonly (string | number)[];

/** The paths of every string in a JSON value (object keys in order, arrays by index). */
export function stringPaths(value: unknown, path: JsonPath = []): JsonPath[] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value))
    return value.flatMap((item, index) => stringPaths(item, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
  }
  return [];
}

/** A copy of `value` with the item at `path` replaced. */
export function replaceAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) {
    return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        key === head ? replaceAt(item, rest, replacement) : item,
      ]),
    );
  }
  return value;
}
