/**
 * Handoff bench: `npm run bench:handoff -- [--chats 50] [--rounds 10] [--only sqlite|postgresql]`
 *
 * For each provider, the real app on a temporary database (dropped afterwards), on the tests' clock
 * (a Thursday 10:00 in Shanghai: business hours), with three staff members signed in to the console
 * (its WebSocket open, capacity 20 each). N web chat customers, each on the built-in Direct Line
 * channel with its WebSocket stream, ask for a person and are accepted; then all N chats talk at once,
 * each for R rounds of: the customer posts a message (until the agent's console socket shows it), the
 * agent sends one through the console's API (until the customer's stream shows it), each after a
 * person's pause (--pace-ms, 2 s on average; 0 drives the chats as fast as the bot answers, which
 * measures saturation rather than the latency of 50 chats). Prints the
 * latency of each direction, p50 / p99 / max over every round after two of warm-up, the load of the
 * (shared) machine as `uptime` gives it, and the target: p99 < 150 ms.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { PROVIDERS } from '../support/db';
import { HandoffTestBot, openConsoleSocket } from '../handoff/support';
import type { StaffBrowser } from '../staff/support';

const { values: args } = parseArgs({
  options: {
    chats: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '10' },
    /** The pause between one message and the next in a chat, on average (people type): 0 for as fast as the bot goes. */
    'pace-ms': { type: 'string', default: '2000' },
    only: { type: 'string' },
  },
});
const CHATS = Number(args.chats);
const ROUNDS = Number(args.rounds);
const PACE_MS = Number(args['pace-ms']);
const WARMUP = 2;
/** A person's pause: between half and one and a half times the pace. */
const pause = () => new Promise((resolve) => setTimeout(resolve, PACE_MS * (0.5 + Math.random())));
const SITE_SECRET = 'bench-site-secret-0123456789abcdef0123456789abcdef';
const out = (line = '') => process.stdout.write(`${line}\n`);

/** Resolves when a text shows up somewhere (a console socket, a customer's stream); rejects after 15 s. */
class Arrivals {
  private readonly waiting = new Map<string, () => void>();

  expect(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`"${text}" never arrived`)), 15_000);
      this.waiting.set(text, () => (clearTimeout(timer), resolve()));
    });
  }

  arrived(text: string | undefined): void {
    const done = text === undefined ? undefined : this.waiting.get(text);
    if (done) {
      this.waiting.delete(text as string);
      done();
    }
  }
}

interface Customer {
  conversationId: string;
  token: string;
  stream: WebSocket;
  handoffId?: string;
  agent?: StaffBrowser;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const figures = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms · p99 ${percentile(sorted, 99).toFixed(1)} ms · max ${sorted[sorted.length - 1].toFixed(1)} ms (${sorted.length} messages)`;
};

async function openCustomer(bot: HandoffTestBot, arrivals: Arrivals): Promise<Customer> {
  const base = bot.app.url;
  const issued = (await (await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers: { Authorization: `Bearer ${SITE_SECRET}`, 'Content-Type': 'application/json' }, body: '{}' })).json()) as { token: string; conversationId: string };
  const started = (await (
    await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${issued.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ locale: 'zh-CN' }) })
  ).json()) as { streamUrl: string };
  const stream = new WebSocket(started.streamUrl);
  stream.on('message', (data) => {
    const text = String(data);
    if (!text) return;
    for (const a of (JSON.parse(text) as { activities?: { text?: string; from?: { role?: string } }[] }).activities ?? []) if (a.from?.role === 'bot') arrivals.arrived(a.text);
  });
  await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
  return { conversationId: issued.conversationId, token: issued.token, stream };
}

function post(bot: HandoffTestBot, customer: Customer, text: string): Promise<Response> {
  return fetch(`${bot.app.url}/v3/directline/conversations/${customer.conversationId}/activities`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${customer.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'message', from: { id: 'me' }, text, locale: 'zh-CN' }),
  });
}

async function bench(provider: (typeof PROVIDERS)[number]): Promise<void> {
  const bot = new HandoffTestBot(provider, {
    DIRECTLINE_TOKEN_SECRET: SITE_SECRET,
    TICKETS_SLA_WATCH_ENABLED: 'false',
    HANDOFF_AGENT_CAPACITY: '20',
    RATE_LIMIT_MESSAGES_PER_MINUTE: '1000000',
    RATE_LIMIT_TOKENS_PER_MINUTE: '1000000',
  });
  await bot.startWithStaff();
  const arrivals = new Arrivals();
  const agents = [bot.lin, bot.zhao, bot.wang];
  const sockets = await Promise.all(agents.map((a) => openConsoleSocket(bot, a)));
  for (const { ws } of sockets) {
    ws.on('message', (data) => {
      const update = JSON.parse(String(data)) as { kind?: string; message?: { from?: string; text?: string } };
      if (update.kind === 'message' && update.message?.from === 'customer') arrivals.arrived(update.message.text);
    });
  }
  try {
    for (const agent of agents) await agent.request('POST', '/agent/api/presence', { status: 'online', capacity: 20 });
    const customers: Customer[] = [];
    for (let i = 0; i < CHATS; i++) {
      const customer = await openCustomer(bot, arrivals);
      if ((await post(bot, customer, '转人工')).status !== 200) throw new Error('the request for a person was refused');
      customer.handoffId = (await bot.handoffOf(customer.conversationId)).id;
      customer.agent = agents[i % agents.length];
      const accepted = await customer.agent.request('POST', `/agent/api/chats/${customer.handoffId}/accept`, {});
      if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${accepted.text}`);
      customers.push(customer);
    }
    const toConsole: number[] = [];
    const toCustomer: number[] = [];
    const started = Date.now();
    await Promise.all(
      customers.map(async (customer, c) => {
        for (let round = 0; round < ROUNDS + WARMUP; round++) {
          await pause();
          const asked = `客户 ${c}-${round}：我的包裹到哪了？`;
          const seen = arrivals.expect(asked);
          let t0 = performance.now();
          const res = await post(bot, customer, asked);
          if (res.status !== 200) throw new Error(`the customer's message answered ${res.status}`);
          await seen;
          if (round >= WARMUP) toConsole.push(performance.now() - t0);

          await pause();
          const answer = `客服 ${c}-${round}：已经在派送中了。`;
          const shown = arrivals.expect(answer);
          t0 = performance.now();
          const sent = await customer.agent!.request('POST', `/agent/api/chats/${customer.handoffId}/messages`, { text: answer });
          if (sent.status !== 201) throw new Error(`the agent's message answered ${sent.status}: ${sent.text}`);
          await shown;
          if (round >= WARMUP) toCustomer.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    out(`${provider}: ${CHATS} live chats at once, ${ROUNDS} rounds each (+${WARMUP} warm-up), a message every ${PACE_MS} ms or so per side, ${seconds.toFixed(1)} s`);
    out(`  customer → agent's console:    ${figures(toConsole)}`);
    out(`  console → customer's web chat: ${figures(toCustomer)}`);
    for (const c of customers) c.stream.close();
  } finally {
    for (const { ws } of sockets) ws.close();
    await bot.stop();
  }
}

async function main(): Promise<void> {
  out(`bench:handoff on ${os.cpus().length} cores, ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  out('target: p99 < 150 ms each way');
  for (const provider of PROVIDERS) {
    if (args.only && args.only !== provider) continue;
    await bench(provider);
  }
  out(`after: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
