import { resolve } from 'node:path';
import { z } from 'zod';
import {
  BACKUP_CONFIG_DEFAULTS,
  BACKUP_CONFIG_ENV,
  backupConfigIssues,
  backupConfigShape,
} from './ops/backup-config';
import {
  HTTP_CONFIG_DEFAULTS,
  HTTP_CONFIG_ENV,
  httpConfigIssues,
  httpConfigShape,
} from './http/http-config';
import {
  RATE_LIMIT_CONFIG_DEFAULTS,
  RATE_LIMIT_CONFIG_ENV,
  rateLimitConfigIssues,
  rateLimitConfigShape,
} from './http/rate-limit-config';

/** Every setting the server reads, validated once at start with a readable error. */
const configSchema = z.object({
  dataDir: z.string().min(1),
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65_535),
  staticDir: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  shutdownGraceMs: z.coerce.number().int().min(0).max(120_000),
  maxBodyBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024),
  /** Longest time an API request may take before it is answered 503 (the deadline). */
  apiDeadlineMs: z.coerce.number().int().min(10).max(600_000),
  /** Longest time a client may take to send a request's headers (slow-loris defence). */
  headersTimeoutMs: z.coerce.number().int().min(500).max(120_000),
  /** Origin used in links the server mails; empty: the address the server listens on. */
  publicOrigin: z
    .string()
    .refine((value) => value === '' || isOrigin(value), 'must be an origin like https://nyckel.se'),
  /** SMTP server URL (smtp:// or smtps://); empty: mails are written to DATA_DIR/outbox. */
  smtpUrl: z
    .string()
    .refine((value) => value === '' || /^smtps?:\/\/./.test(value), 'must start with smtp(s)://'),
  mailFrom: z.string().min(3).max(254),
  /** Tests only: a file holding a clock offset in milliseconds that the identity API adds. */
  testClockFile: z.string(),
  /** Load the synthetic demo population into an empty finance store at start (DESIGN §7). */
  demo: z.enum(['on', 'off']),
  /** Size of the demo population. */
  demoEntities: z.coerce.number().int().min(100).max(300_000),
  /** Real entities with an uploaded year from which peer statistics leave the demo out. */
  demoExcludeAt: z.coerce.number().int().min(1).max(10_000_000),
  /** Peer statistics: fewest distinct entities a published group may have (DESIGN §7: ≥ 5). */
  minGroupSize: z.coerce.number().int().min(5, 'must be at least 5 (DESIGN §7)').max(1000),
  /** Peer statistics: how long changes gather before a refresh; 0 = in the same request. */
  statsRefreshMs: z.coerce.number().int().min(0).max(3_600_000),
  /** Daily encrypted backups (server/ops/backup-config.ts); the key settings are secrets. */
  ...backupConfigShape,
  /** TLS, proxy trust, /metrics and alert thresholds (server/http/http-config.ts). */
  ...httpConfigShape,
  /** Rate limits and where they count (server/http/rate-limit-config.ts). */
  ...rateLimitConfigShape,
});

/** Settings that only make sense together (half a backup configuration) are checked as one. */
const checkedConfigSchema = configSchema.superRefine((config, ctx) => {
  for (const issue of [
    ...backupConfigIssues(config),
    ...httpConfigIssues(config),
    ...rateLimitConfigIssues(config),
  ]) {
    ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
  }
});

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export type ServerConfig = z.infer<typeof configSchema>;

export const CONFIG_DEFAULTS = {
  dataDir: './data',
  host: '127.0.0.1',
  port: 8080,
  staticDir: './build',
  logLevel: 'info',
  shutdownGraceMs: 10_000,
  maxBodyBytes: 1024 * 1024,
  apiDeadlineMs: 30_000,
  headersTimeoutMs: 20_000,
  publicOrigin: '',
  smtpUrl: '',
  mailFrom: 'Nyckel <no-reply@localhost>',
  testClockFile: '',
  demo: 'on',
  demoEntities: 30_000,
  demoExcludeAt: 200,
  minGroupSize: 10,
  statsRefreshMs: 2000,
  ...BACKUP_CONFIG_DEFAULTS,
  ...HTTP_CONFIG_DEFAULTS,
  ...RATE_LIMIT_CONFIG_DEFAULTS,
} as const satisfies ServerConfig;

/** The environment variables the server understands, documented in the README. */
export const CONFIG_ENV = {
  dataDir: 'NYCKEL_DATA_DIR',
  host: 'HOST',
  port: 'PORT',
  staticDir: 'NYCKEL_STATIC_DIR',
  logLevel: 'LOG_LEVEL',
  shutdownGraceMs: 'NYCKEL_SHUTDOWN_GRACE_MS',
  maxBodyBytes: 'NYCKEL_MAX_BODY_BYTES',
  apiDeadlineMs: 'NYCKEL_API_DEADLINE_MS',
  headersTimeoutMs: 'NYCKEL_HEADERS_TIMEOUT_MS',
  publicOrigin: 'NYCKEL_PUBLIC_ORIGIN',
  smtpUrl: 'NYCKEL_SMTP_URL',
  mailFrom: 'NYCKEL_MAIL_FROM',
  testClockFile: 'NYCKEL_TEST_CLOCK_FILE',
  demo: 'NYCKEL_DEMO',
  demoEntities: 'NYCKEL_DEMO_ENTITIES',
  demoExcludeAt: 'NYCKEL_DEMO_EXCLUDE_AT',
  minGroupSize: 'NYCKEL_MIN_GROUP_SIZE',
  statsRefreshMs: 'NYCKEL_STATS_REFRESH_MS',
  ...BACKUP_CONFIG_ENV,
  ...HTTP_CONFIG_ENV,
  ...RATE_LIMIT_CONFIG_ENV,
} as const satisfies Record<keyof ServerConfig, string>;

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; errors: string[] };

/**
 * Builds the configuration from defaults, then the environment, then explicit overrides
 * (command-line flags), in that order of precedence.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Record<keyof ServerConfig, string | number | undefined>> = {},
): ConfigResult {
  const raw: Record<string, unknown> = { ...CONFIG_DEFAULTS };
  for (const [key, envName] of Object.entries(CONFIG_ENV)) {
    const value = env[envName];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) raw[key] = value;
  }
  const parsed = checkedConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const envName = key in CONFIG_ENV ? CONFIG_ENV[key as keyof typeof CONFIG_ENV] : key;
      return `${envName}: ${issue.message}`;
    });
    return { ok: false, errors };
  }
  return {
    ok: true,
    config: {
      ...parsed.data,
      dataDir: resolve(parsed.data.dataDir),
      staticDir: resolve(parsed.data.staticDir),
    },
  };
}
