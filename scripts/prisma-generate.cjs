#!/usr/bin/env node
// Generates both Prisma clients (SQLite and PostgreSQL) from the one model file.
// Runs on `npm install` (postinstall) and `npm run db:generate`; needs no network (JS engine).
// Prisma prints two notices per schema on every run ("Loaded Prisma config from ...", "Prisma config
// detected, skipping environment variable loading."): they say nothing to act on, and two schemas
// printed them twice, so they are dropped; anything else Prisma says is passed on, and a failure
// prints everything it said.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const prisma = path.join(root, 'node_modules', '.bin', 'prisma');
const NOTICES = [/^Loaded Prisma config from /, /^Prisma config detected, skipping environment variable loading/];

for (const provider of ['sqlite', 'postgres']) {
  const run = spawnSync(prisma, ['generate', '--config', path.join(root, 'prisma', provider, 'prisma.config.ts')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
  if (run.error || run.status !== 0) {
    process.stderr.write(`kefu: prisma generate (${provider}) failed\n${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? `${run.error.message}\n` : ''}`);
    process.exit(run.status || 1);
  }
  const rest = run.stderr
    .split('\n')
    .filter((line) => line.trim() && !NOTICES.some((notice) => notice.test(line)))
    .join('\n');
  if (rest) process.stderr.write(`${rest}\n`);
}
process.stdout.write('kefu: generated Prisma clients for SQLite and PostgreSQL\n');
