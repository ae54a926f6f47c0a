#!/usr/bin/env node
// Writes a migration for both providers from the change to prisma/models.prisma:
//   npm run db:migration -- add_tickets
// Each migration folder keeps a snapshot of the models it was written from (models.prisma.snapshot),
// so the next diff runs schema-to-schema and needs no database (`prisma migrate dev` does not work
// offline with the JS engine; see README).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write('usage: npm run db:migration -- <name_in_snake_case>\n');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const prisma = path.join(root, 'node_modules', '.bin', 'prisma');
const models = fs.readFileSync(path.join(root, 'prisma', 'models.prisma'), 'utf8');
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);

for (const provider of ['sqlite', 'postgres']) {
  const dir = path.join(root, 'prisma', provider);
  const migrationsDir = path.join(dir, 'migrations');
  fs.mkdirSync(migrationsDir, { recursive: true });
  const previous = fs.readdirSync(migrationsDir).filter((d) => fs.existsSync(path.join(migrationsDir, d, 'models.prisma.snapshot'))).sort().pop();
  const args = ['migrate', 'diff', '--config', path.join(dir, 'prisma.config.ts'), '--to-schema-datamodel', dir, '--script'];
  let tmp;
  if (previous) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-migration-'));
    fs.copyFileSync(path.join(dir, 'schema.prisma'), path.join(tmp, 'schema.prisma'));
    fs.copyFileSync(path.join(migrationsDir, previous, 'models.prisma.snapshot'), path.join(tmp, 'models.prisma'));
    args.push('--from-schema-datamodel', tmp);
  } else {
    args.push('--from-empty');
  }
  const sql = execFileSync(prisma, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  if (!/\b(CREATE|ALTER|DROP)\b/i.test(sql)) {
    process.stdout.write(`${provider}: no change\n`);
    continue;
  }
  const target = path.join(migrationsDir, `${stamp}_${name}`);
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'migration.sql'), sql);
  fs.writeFileSync(path.join(target, 'models.prisma.snapshot'), models);
  process.stdout.write(`${provider}: wrote ${path.relative(root, target)}/migration.sql\n`);
}
