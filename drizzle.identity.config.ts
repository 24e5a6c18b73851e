import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './server/identity/schema.ts',
  out: './server/identity/migrations',
  migrations: { table: 'identity_migrations' },
});
