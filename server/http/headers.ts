import type { ServerResponse } from 'node:http';

/** HSTS for a year, subdomains included; sent only on responses that went over HTTPS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/** Powerful features the app never uses, switched off for it and anything it could embed. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ');

export type SecurityHeaders = Readonly<Record<string, string>>;

/** The headers every response carries, built once at start from the app's CSP. */
export function securityHeaders(contentSecurityPolicy: string): SecurityHeaders {
  return {
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // For browsers without CSP frame-ancestors.
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': PERMISSIONS_POLICY,
  };
}

/**
 * Sets the security headers on a response before anything else writes to it; HSTS only when
 * the request reached us over HTTPS (directly, or as a trusted proxy says).
 */
export function applySecurityHeaders(
  res: ServerResponse,
  headers: SecurityHeaders,
  options: { https: boolean },
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (options.https) res.setHeader('strict-transport-security', STRICT_TRANSPORT_SECURITY);
}

/** API answers are personal or secret: no browser, proxy or service worker may keep them. */
export function applyApiHeaders(res: ServerResponse): void {
  res.setHeader('cache-control', 'no-store');
}
