// Prisma CLI configuration for the SQLite schema (generate and migrate diff only; Kefu applies
// migrations itself: src/store/migrate.ts). The JS engine keeps the CLI offline.
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(__dirname),
  migrations: { path: path.join(__dirname, 'migrations') },
  adapter: async () => {
    // The CLI's scratch database (the folder must exist, or better-sqlite3 reports only "External error").
    const dataDir = path.join(__dirname, '../../data');
    fs.mkdirSync(dataDir, { recursive: true });
    return new PrismaBetterSQLite3({ url: 'file:' + path.join(dataDir, 'prisma-cli.db') });
  },
});
