import { sql } from 'drizzle-orm';
import {
  sqliteTable,
  text,
  integer,
  primaryKey,
  index,
  uniqueIndex,
  check,
} from 'drizzle-orm/sqlite-core';

/**
 * Identity store: users, sessions, organisations, memberships and the encrypted
 * organisation → finance links. Every time is integer milliseconds since the epoch.
 * Ciphertexts (envelopes) are stored as the JSON the client sent; the server never has a key
 * for any of them. Secrets the client proves it knows (authKey, recovery auth key) are
 * stored only as Argon2id PHC strings; tokens only as SHA-256 (b64u).
 *
 * `store_meta` records which store a database file is, so the two can never be swapped.
 */
export const storeMeta = sqliteTable('store_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull(),
});

/** Server-generated secrets, e.g. the HMAC key for pre-login fake salts. */
export const serverSecrets = sqliteTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    /** UUID v4 chosen by the client (it is bound into the user's ciphertexts). */
    id: text('id').primaryKey(),
    /** Canonical e-mail: trimmed, lower-case. */
    email: text('email').notNull(),
    role: text('role', { enum: ['user', 'support'] })
      .notNull()
      .default('user'),
    /** `{alg, m, t, p, salt}` JSON. */
    kdf: text('kdf').notNull(),
    authHash: text('auth_hash').notNull(),
    wrappedUserKey: text('wrapped_user_key').notNull(),
    publicKey: text('public_key').notNull(),
    wrappedPrivateKey: text('wrapped_private_key').notNull(),
    recoveryWrappedUserKey: text('recovery_wrapped_user_key').notNull(),
    recoveryAuthHash: text('recovery_auth_hash').notNull(),
    /** Counts password (wrapKey) generations: the `n` of `pwd:<userId>:<n>`. */
    keyGeneration: integer('key_generation').notNull().default(1),
    emailVerifiedAt: integer('email_verified_at'),
    createdAt: integer('created_at').notNull(),
    lastLoginAt: integer('last_login_at'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: integer('locked_until'),
  },
  (table) => [
    uniqueIndex('users_email_unique').on(table.email),
    check('users_role_check', sql`${table.role} IN ('user', 'support')`),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Absolute end of the session, independent of activity. */
    expiresAt: integer('expires_at').notNull(),
    userAgent: text('user_agent'),
    revokedAt: integer('revoked_at'),
  },
  (table) => [
    uniqueIndex('sessions_token_hash_unique').on(table.tokenHash),
    index('sessions_user_idx').on(table.userId),
  ],
);

export const emailTokens = sqliteTable(
  'email_tokens',
  {
    hash: text('hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `verify` and `reset` are mailed; `recovery` is handed out by recoveryStart. */
    purpose: text('purpose', { enum: ['verify', 'reset', 'recovery'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (table) => [
    index('email_tokens_user_idx').on(table.userId),
    check('email_tokens_purpose_check', sql`${table.purpose} IN ('verify', 'reset', 'recovery')`),
  ],
);

export const organisations = sqliteTable(
  'organisations',
  {
    /** UUID v4 chosen by the client (bound into the org's ciphertexts). */
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['company', 'bureau'] }).notNull(),
    name: text('name').notNull(),
    /** Normalised `NNNNNN-NNNN`. */
    orgNumber: text('org_number').notNull(),
    /** `{street?, postalCode?, city?}` JSON or null. */
    address: text('address'),
    /** Version of the current org key; +1 at every member removal. */
    keyVersion: integer('key_version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('organisations_org_number_idx').on(table.orgNumber),
    check('organisations_kind_check', sql`${table.kind} IN ('company', 'bureau')`),
  ],
);

export const memberships = sqliteTable(
  'memberships',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull(),
    status: text('status', { enum: ['active', 'pending', 'needs-regrant'] }).notNull(),
    /** ECIES envelope of the org key to this member's public key; null until granted. */
    wrappedOrgKey: text('wrapped_org_key'),
    /** Version of the org key in `wrapped_org_key` (null while there is none). */
    keyVersion: integer('key_version'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.userId] }),
    index('memberships_user_idx').on(table.userId),
    check('memberships_role_check', sql`${table.role} IN ('owner', 'admin', 'member')`),
    check(
      'memberships_status_check',
      sql`${table.status} IN ('active', 'pending', 'needs-regrant')`,
    ),
    check(
      'memberships_key_check',
      sql`(${table.status} = 'active') = (${table.wrappedOrgKey} IS NOT NULL)`,
    ),
  ],
);

export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ['admin', 'member'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    acceptedBy: text('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    acceptedAt: integer('accepted_at'),
  },
  (table) => [
    uniqueIndex('invitations_token_hash_unique').on(table.tokenHash),
    index('invitations_org_idx').on(table.orgId),
  ],
);

/** Organisation → finance entity, only as ciphertext under the org key (P4). */
export const orgLinks = sqliteTable(
  'org_links',
  {
    /** UUID v4 chosen by the client (bound into the link's ciphertexts). */
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    keyVersion: integer('key_version').notNull(),
    link: text('link').notNull(),
    label: text('label'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('org_links_org_idx').on(table.orgId)],
);

/** Security events. `detail` is JSON without secrets, tokens or key material. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: text('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    type: text('type').notNull(),
    at: integer('at').notNull(),
    detail: text('detail').notNull().default('{}'),
  },
  (table) => [
    index('audit_events_org_idx').on(table.orgId, table.at),
    index('audit_events_user_idx').on(table.userId, table.at),
  ],
);
