import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/**
 * Finance store: entities, yearly group sums, contracts and benchmark statistics.
 * It never holds a user id, e-mail, organisation, name, org number or address (P4).
 * `store_meta` records which store a database file is, so the two can never be swapped.
 */
export const storeMeta = sqliteTable('store_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull(),
});
