import { loadConfig } from '../config/config';
import { DeadLetters } from '../events/admin';
import { openStore } from '../store/db';

const USAGE = `npm run events -- dead            list the event deliveries given up (DEAD), newest first
npm run events -- retry <id>...    send these dead deliveries again
npm run events -- retry --all      send every dead delivery again
`;

/**
 * `npm run events`: the event log's dead letters for an operator, on the store of DATABASE_URL.
 * A running Kefu (any instance) takes a retried delivery in its next dispatcher round.
 */
export async function runEventsCli(args: string[], out: (text: string) => void, url = loadConfig().DATABASE_URL): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'dead' && command !== 'retry') {
    out(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 64;
  }
  if (command === 'retry' && rest.length === 0) {
    out(`retry needs delivery ids or --all\n${USAGE}`);
    return 64;
  }
  const store = await openStore(url);
  try {
    const letters = new DeadLetters(store.db);
    if (command === 'dead') {
      const dead = await letters.list();
      if (dead.length === 0) out('no dead deliveries\n');
      for (const d of dead) {
        out(`${d.id}  ${d.updatedAt.toISOString()}  ${d.type} ${d.subject} -> ${d.subscriber}  after ${d.attempts} attempts: ${d.lastError ?? ''}\n`);
      }
      return 0;
    }
    const retried = await letters.retry(rest.includes('--all') ? 'all' : rest, new Date());
    out(`${retried} delivery(ies) queued again${rest.includes('--all') || retried === rest.length ? '' : ` (${rest.length - retried} not dead or unknown)`}\n`);
    return retried > 0 || rest.includes('--all') ? 0 : 65;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  runEventsCli(process.argv.slice(2), (text) => process.stdout.write(text)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`events: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
