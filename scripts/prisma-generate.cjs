#!/usr/bin/env node
// Generates both Prisma clients (SQLite and PostgreSQL) from the one model file.
// Runs on `npm install` (postinstall) and `npm run db:generate`; needs no network (JS engine).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const prisma = path.join(root, 'node_modules', '.bin', 'prisma');
for (const provider of ['sqlite', 'postgres']) {
  execFileSync(prisma, ['generate', '--config', path.join(root, 'prisma', provider, 'prisma.config.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
}
process.stdout.write('kefu: generated Prisma clients for SQLite and PostgreSQL\n');
