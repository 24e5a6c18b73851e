import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './server/finance/schema.ts',
  out: './server/finance/migrations',
  migrations: { table: 'finance_migrations' },
});
