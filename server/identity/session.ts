import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, eq, isNull } from 'drizzle-orm';
import { sessions, users } from './schema';
import { hashToken, newId, newToken } from './secrets';
import type { IdentityStore } from './store';

export const SESSION_COOKIE = '__Secure-nyckel_session';
export const SESSION_COOKIE_PATH = '/api/identity';
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
const USER_AGENT_MAX = 120;

const ATTRIBUTES = `Path=${SESSION_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`;

/** The cookie exactly as PROTOCOL.md specifies it (a browser-session cookie, no Max-Age). */
export const sessionCookie = (token: string): string => `${SESSION_COOKIE}=${token}; ${ATTRIBUTES}`;
export const clearedSessionCookie = (): string => `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;

export function setCookie(res: ServerResponse | undefined, cookie: string): void {
  if (!res || res.headersSent) return;
  const existing = res.getHeader('set-cookie');
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
  // A later cookie for the same name replaces an earlier one from this response.
  const name = cookie.split('=')[0];
  res.setHeader('set-cookie', [...list.filter((c) => c.split('=')[0] !== name), cookie]);
}

/** The session token from the request's Cookie header, if it looks like one. */
export function readSessionToken(req: IncomingMessage | undefined): string | undefined {
  const header = req?.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(index + 1).trim();
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return undefined;
}

export const shortUserAgent = (req: IncomingMessage | undefined): string | null => {
  const ua = req?.headers['user-agent'];
  if (typeof ua !== 'string' || ua === '') return null;
  return ua.replace(/[^\x20-\x7e]/g, '').slice(0, USER_AGENT_MAX);
};

/** Starts a session with a fresh random token; only its SHA-256 is stored. */
export function createSession(
  store: IdentityStore,
  userId: string,
  userAgent: string | null,
  now: number,
): { id: string; token: string } {
  const { token, hash } = newToken();
  const id = newId();
  store.db
    .insert(sessions)
    .values({
      id,
      userId,
      tokenHash: hash,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_ABSOLUTE_MS,
      userAgent,
    })
    .run();
  return { id, token };
}

export type SessionUser = typeof users.$inferSelect;
export type SessionLookup =
  | { state: 'none' }
  | { state: 'expired' }
  | { state: 'valid'; sessionId: string; user: SessionUser };

/**
 * Finds the live session for a token and marks it as seen. A session ends when it is revoked,
 * idle for 30 minutes or 12 hours old, whichever comes first; an ended session is revoked.
 */
export function resolveSession(
  store: IdentityStore,
  token: string | undefined,
  now: number,
): SessionLookup {
  if (!token) return { state: 'none' };
  const row = store.db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)))
    .get();
  if (!row) return { state: 'none' };
  const { session } = row;
  if (now >= session.expiresAt || now - session.lastSeenAt >= SESSION_IDLE_MS) {
    store.db.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, session.id)).run();
    return { state: 'expired' };
  }
  store.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id)).run();
  return { state: 'valid', sessionId: session.id, user: row.user };
}
