import { loadConfig } from '../config/config';
import { archiveAuditLog } from '../crm/auditArchive';
import { verifyAuditChain } from '../crm/auditChain';
import { openStore } from '../store/db';

const USAGE = `npm run audit:verify      walk the audit log's hash chain; exit 1 at the first broken row
npm run audit:archive     move rows past AUDIT_RETENTION_DAYS (at least 365) to AuditLogArchive
`;

/** `npm run audit:verify` / `audit:archive` on the store of DATABASE_URL. */
export async function runAuditCli(args: string[], out: (text: string) => void, url?: string): Promise<number> {
  const [command] = args;
  if (command !== 'verify' && command !== 'archive') {
    out(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 64;
  }
  const config = url ? undefined : loadConfig();
  const store = await openStore(url ?? config!.DATABASE_URL);
  try {
    if (command === 'archive') {
      const moved = await archiveAuditLog(store.db, { retentionDays: (config ?? loadConfig()).AUDIT_RETENTION_DAYS, now: new Date() });
      out(`${moved} audit row(s) archived\n`);
      return 0;
    }
    const result = await verifyAuditChain(store.db);
    const extra = `${result.masked} masked${result.unchained ? `, ${result.unchained} older than the chain (not covered)` : ''}`;
    if (result.ok) {
      out(`audit chain intact: ${result.checked} rows (${extra})\n`);
      return 0;
    }
    const b = result.broken!;
    out(`audit chain broken at seq ${b.seq ?? '-'} (row ${b.id}): ${b.problem}; ${result.checked} rows before it are intact\n`);
    return 1;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  runAuditCli(process.argv.slice(2), (text) => process.stdout.write(text)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`audit: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
