import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Keys whose values are never logged, wherever they appear (compared without case):
 * credentials and tokens, capabilities and keys, e-mail addresses, request bodies and
 * inputs, and figures. One list feeds both the `redact` paths and the deep walk below.
 */
export const REDACTED_KEYS = [
  // Headers and credentials.
  'cookie',
  'set-cookie',
  'authorization',
  'proxy-authorization',
  'password',
  'newPassword',
  'currentPassword',
  'authKey',
  'newAuthKey',
  'token',
  'tokens',
  'sessionToken',
  'metricsToken',
  'secret',
  'recoveryCode',
  // Capabilities and keys.
  'capability',
  'capabilities',
  'capabilityHash',
  'key',
  'privateKey',
  'wrappedKey',
  'orgKey',
  'entityKey',
  'envelope',
  // Personal data.
  'email',
  'newEmail',
  // What a request carried, and figures.
  'body',
  'input',
  'rawInput',
  'payload',
  'balance',
  'result',
  'figures',
  'amounts',
  'sums',
] as const;

export const CENSOR = '[redacted]';

const redactedKeys = new Set(REDACTED_KEYS.map((key) => key.toLowerCase()));
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const MAX_DEPTH = 8;

/** E-mail addresses inside free text (error messages, messages) become `[email]`. */
export const scrubText = (text: string): string => text.replace(EMAIL, '[email]');

const isIdentifier = (key: string) => /^[A-Za-z_$][\w$]*$/.test(key);

/** `redact` paths for the keys at the top and two levels down (pino's fast path). */
const redactPaths = REDACTED_KEYS.filter(isIdentifier).flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
]);

/** A request or response is logged as what it was, never what it carried. */
const requestSummary = (req: unknown) => {
  const method: unknown = typeof req === 'object' && req ? Reflect.get(req, 'method') : undefined;
  const url: unknown = typeof req === 'object' && req ? Reflect.get(req, 'url') : undefined;
  return {
    method: typeof method === 'string' ? method : undefined,
    // The path only: a tRPC GET carries its input in the query string.
    path: typeof url === 'string' ? url.split('?')[0] : undefined,
  };
};

const responseSummary = (res: unknown) => {
  const status: unknown =
    typeof res === 'object' && res ? Reflect.get(res, 'statusCode') : undefined;
  return { statusCode: typeof status === 'number' ? status : undefined };
};

/**
 * The serializer every log object goes through (pino's `formatters.log` and `bindings`):
 * redacted keys at any depth, e-mail addresses in any string, errors as class and scrubbed
 * message, requests and responses as summaries.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[depth]';
  if (value instanceof Error) {
    // The stack repeats the message, so it is scrubbed as well.
    return {
      type: value.constructor.name,
      message: scrubText(value.message),
      stack: value.stack === undefined ? undefined : scrubText(value.stack),
    };
  }
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (redactedKeys.has(key.toLowerCase())) out[key] = CENSOR;
    else if (key === 'req') out[key] = requestSummary(item);
    else if (key === 'res') out[key] = responseSummary(item);
    else out[key] = redactForLog(item, depth + 1);
  }
  return out;
}

const redactObject = (object: Record<string, unknown>): Record<string, unknown> => {
  const redacted = redactForLog(object);
  return redacted !== null && typeof redacted === 'object' && !Array.isArray(redacted)
    ? { ...redacted }
    : {};
};

/**
 * JSON logs on stdout (or `destination`). Anything that could identify a person or carry a
 * secret is redacted wherever it appears in a log object or message.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'nyckel' },
    redact: { paths: redactPaths, censor: CENSOR },
    formatters: { log: redactObject, bindings: redactObject },
    // Errors were already turned into {type, message, stack} above; pino's own `err`
    // serializer would only rename them.
    serializers: { err: (error: unknown) => error },
    hooks: {
      // The message and its interpolation values, which formatters.log does not see.
      logMethod(args, method) {
        for (const [index, arg] of args.entries()) {
          if (typeof arg === 'string') args[index] = scrubText(arg);
        }
        return method.apply(this, args);
      },
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
