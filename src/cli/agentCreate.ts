import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { loadConfig } from '../config/config';
import { cipherFromConfig } from '../features/privacy/config';
import { openStore } from '../store/db';
import { migrate } from '../store/migrate';
import { AgentService } from '../features/tickets/agents';
import { AGENT_ROLES, type AgentRole } from '../features/tickets/types';
import { StaffAccounts } from '../staff';
import { passwordProblem } from '../staff/passwords';

const USAGE = `usage: npm run agent:create -- --name NAME --role ${AGENT_ROLES.join('|')} [--login LOGIN --password]
Creates a staff account and prints its API bearer token once (only its sha256 is stored).
With --login and --password it can also sign in to the agent console (/staff/signin): the password is
read from standard input (asked twice, hidden, in a terminal; first line when piped), at least 10 characters.
  echo 'a-long-password' | npm run agent:create -- --name 林小美 --role agent --login lin --password`;

/** Reads a password: hidden and confirmed in a terminal, the first line of a pipe otherwise. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) return line;
    return '';
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      let prompted = false;
      out._writeToOutput = (s: string) => {
        if (!prompted) process.stdout.write(s);
        prompted = true;
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('password: ');
  const second = await ask('again: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

/** `npm run agent:create -- --name 林小美 --role agent [--login lin --password]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { name: { type: 'string' }, role: { type: 'string', default: 'agent' }, login: { type: 'string' }, password: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const name = values.name?.trim();
  const role = values.role as AgentRole;
  if (!name || !AGENT_ROLES.includes(role) || Boolean(values.password) !== Boolean(values.login)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const password = values.password ? await readPassword() : undefined;
  const problem = password === undefined ? undefined : passwordProblem(password);
  if (problem) throw new Error(problem);
  const config = loadConfig();
  if (config.DB_MIGRATE_ON_START) await migrate(config.DATABASE_URL);
  const store = await openStore(config.DATABASE_URL, { poolSize: 1, cipher: cipherFromConfig(config) });
  try {
    const { agent, token } = await new AgentService(store.db).create({ name, role }, { type: 'system', id: 'agent:create' });
    if (values.login && password !== undefined) {
      const accounts = new StaffAccounts(store.db, { sessionHours: config.STAFF_SESSION_HOURS, lockoutAttempts: config.STAFF_LOCKOUT_ATTEMPTS, lockoutMinutes: config.STAFF_LOCKOUT_MINUTES }, () => new Date());
      try {
        await accounts.setPassword(agent.id, values.login, password, 'agent:create');
      } catch (err) {
        await store.db.agent.delete({ where: { id: agent.id } });
        throw err;
      }
    }
    process.stdout.write(`created ${agent.role} "${agent.name}" (id ${agent.id})\n`);
    if (values.login) process.stdout.write(`sign in at /staff/signin as ${values.login.trim().toLowerCase()}\n`);
    process.stdout.write(`token (shown once, keep it secret): ${token}\n`);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`agent:create failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
