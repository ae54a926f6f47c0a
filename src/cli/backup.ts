import { loadConfig } from '../config/config';
import { backupSqlite, restoreSqlite } from '../features/privacy/backup';

/**
 * `npm run db:backup -- <file>`: an online copy of the SQLite store (Kefu may keep running).
 * `npm run db:restore -- <file>`: replaces the SQLite store with a backup (stop Kefu first).
 * PostgreSQL: pg_dump / pg_restore, as the message says.
 */
async function main([mode, file]: string[]): Promise<void> {
  if (!file || (mode !== 'backup' && mode !== 'restore')) throw new Error(`usage: npm run db:${mode === 'restore' ? 'restore' : 'backup'} -- <file>`);
  const { DATABASE_URL } = loadConfig();
  if (mode === 'backup') {
    const pages = await backupSqlite(DATABASE_URL, file);
    process.stdout.write(`backed up ${DATABASE_URL} to ${file} (${pages} pages); personal data in it stays sealed: keep KEFU_DATA_KEYS apart from it\n`);
  } else {
    await restoreSqlite(file, DATABASE_URL);
    process.stdout.write(`restored ${DATABASE_URL} from ${file}; start Kefu again (it applies newer migrations, if any)\n`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`db:${process.argv[2] ?? 'backup'} failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
