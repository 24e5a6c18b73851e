import pino, { type Logger } from 'pino';

/**
 * JSON logs on stdout. Anything that could identify a person or carry a secret is redacted
 * wherever it appears in a log object.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'nyckel' },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        '*.cookie',
        '*.password',
        '*.authKey',
        '*.capability',
        '*.email',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}
