import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/**
 * Identity store: users, sessions, organisations, memberships and the encrypted
 * organisation → finance links. Later issues add their tables here.
 * `store_meta` records which store a database file is, so the two can never be swapped.
 */
export const storeMeta = sqliteTable('store_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull(),
});
