import { z } from 'zod';

/**
 * Settings of the HTTP front door, part of server/config.ts: TLS, the HTTP→HTTPS redirect,
 * the reverse-proxy trust, `/metrics` and the alert thresholds. `metricsToken` is a secret:
 * never log the configuration object.
 */
const onOff = z.union([
  z.boolean(),
  z
    .enum(['on', 'off', 'true', 'false', '1', '0'], { error: 'must be on or off' })
    .transform((value) => value === 'on' || value === 'true' || value === '1'),
]);

const alertCount = z.coerce.number().int().min(1).max(1_000_000);

export const httpConfigShape = {
  /** PEM certificate chain; with `tlsKey`, the server speaks HTTPS (HTTP/1.1 and HTTP/2). */
  tlsCert: z.string(),
  tlsKey: z.string(),
  /** A second, plain-HTTP port that redirects every request to HTTPS; empty: none. */
  httpRedirectPort: z.union([z.literal(''), z.coerce.number().int().min(0).max(65_535)]),
  /** Believe X-Forwarded-Proto/-For from the one reverse proxy in front (off by default). */
  trustProxy: onOff,
  /** Serve `/metrics`: `auto` on loopback binds or when a token is set. */
  metrics: z.enum(['auto', 'on', 'off']),
  /** Bearer token `/metrics` requires; empty: none. */
  metricsToken: z
    .string()
    .refine((value) => value === '' || value.length >= 16, 'must be at least 16 characters'),
  /** Failed credential checks (all accounts together) within the window that raise an alert. */
  alertFailedLogins: alertCount,
  /** Refused finance capabilities (all entities together) within the window that raise one. */
  alertCapabilityFailures: alertCount,
  alertWindowSeconds: z.coerce.number().int().min(10).max(86_400),
};

export type HttpConfig = z.infer<z.ZodObject<typeof httpConfigShape>>;

export const HTTP_CONFIG_DEFAULTS = {
  tlsCert: '',
  tlsKey: '',
  httpRedirectPort: '',
  trustProxy: false,
  metrics: 'auto',
  metricsToken: '',
  alertFailedLogins: 20,
  alertCapabilityFailures: 20,
  alertWindowSeconds: 300,
} as const satisfies HttpConfig;

export const HTTP_CONFIG_ENV = {
  tlsCert: 'NYCKEL_TLS_CERT',
  tlsKey: 'NYCKEL_TLS_KEY',
  httpRedirectPort: 'NYCKEL_HTTP_REDIRECT_PORT',
  trustProxy: 'NYCKEL_TRUST_PROXY',
  metrics: 'NYCKEL_METRICS',
  metricsToken: 'NYCKEL_METRICS_TOKEN',
  alertFailedLogins: 'NYCKEL_ALERT_FAILED_LOGINS',
  alertCapabilityFailures: 'NYCKEL_ALERT_CAPABILITY_FAILURES',
  alertWindowSeconds: 'NYCKEL_ALERT_WINDOW_SECONDS',
} as const satisfies Record<keyof HttpConfig, string>;

export interface HttpConfigIssue {
  path: keyof HttpConfig;
  message: string;
}

/** Cross-field checks; each issue names the setting to fix. */
export function httpConfigIssues(config: HttpConfig & { publicOrigin: string }): HttpConfigIssue[] {
  const issues: HttpConfigIssue[] = [];
  if ((config.tlsCert === '') !== (config.tlsKey === '')) {
    issues.push({
      path: config.tlsCert === '' ? 'tlsCert' : 'tlsKey',
      message: `HTTPS needs both ${HTTP_CONFIG_ENV.tlsCert} and ${HTTP_CONFIG_ENV.tlsKey}`,
    });
  }
  if (config.httpRedirectPort !== '' && config.tlsCert === '') {
    issues.push({
      path: 'httpRedirectPort',
      message: `redirects to HTTPS need HTTPS: set ${HTTP_CONFIG_ENV.tlsCert} and ${HTTP_CONFIG_ENV.tlsKey}, or unset it`,
    });
  }
  if (config.trustProxy && config.publicOrigin === '') {
    issues.push({
      path: 'trustProxy',
      message:
        'behind a reverse proxy, set NYCKEL_PUBLIC_ORIGIN to the address users open (e.g. https://nyckel.example.se): links and the origin check need it',
    });
  }
  return issues;
}
