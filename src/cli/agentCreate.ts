import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { openStore } from '../store/db';
import { migrate } from '../store/migrate';
import { AgentService } from '../features/tickets/agents';
import { AGENT_ROLES, type AgentRole } from '../features/tickets/types';

const USAGE = `usage: npm run agent:create -- --name NAME --role ${AGENT_ROLES.join('|')}
Creates an agent of the ticket API and prints its bearer token once (only its sha256 is stored).`;

/** `npm run agent:create -- --name 林小美 --role agent` */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { name: { type: 'string' }, role: { type: 'string', default: 'agent' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const name = values.name?.trim();
  const role = values.role as AgentRole;
  if (!name || !AGENT_ROLES.includes(role)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  if (config.DB_MIGRATE_ON_START) await migrate(config.DATABASE_URL);
  const store = await openStore(config.DATABASE_URL, { poolSize: 1 });
  try {
    const { agent, token } = await new AgentService(store.db).create({ name, role }, { type: 'system', id: 'agent:create' });
    process.stdout.write(`created ${agent.role} "${agent.name}" (id ${agent.id})\n`);
    process.stdout.write(`token (shown once, keep it secret): ${token}\n`);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`agent:create failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
