// Prisma CLI configuration for the PostgreSQL schema (generate and migrate diff only; Kefu applies
// migrations itself: src/store/migrate.ts). The JS engine keeps the CLI offline.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(__dirname),
  migrations: { path: path.join(__dirname, 'migrations') },
  adapter: async () => new PrismaPg({ host: '127.0.0.1', user: 'postgres', database: 'postgres', allowExitOnIdle: true }),
});
