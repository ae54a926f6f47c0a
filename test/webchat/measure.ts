/**
 * Measures what the web chat costs a customer: Web Chat's bundle size raw / brotli / gzip as served, and
 * the time from posting a message to the bot's first reply arriving, over a WebSocket and by polling.
 *   npx tsx test/webchat/measure.ts
 */
import { performance } from 'node:perf_hooks';
import type { Activity } from 'botframework-directlinejs';
import { Recorder, SITE_SECRET, directLine, provideWebSocket, startWebChatApp } from '../directline/support';

const ROUNDS = 15;

async function bundleSizes(url: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const encoding of ['identity', 'br', 'gzip']) {
    const res = await fetch(`${url}/webchat/vendor/webchat.js`, { headers: { 'Accept-Encoding': encoding } });
    out[encoding] = Number(res.headers.get('content-length'));
    await res.arrayBuffer();
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  provideWebSocket();
  const t = await startWebChatApp('measure');
  try {
    process.stdout.write(`webchat.js bytes: ${JSON.stringify(await bundleSizes(t.app.url))}\n`);
    for (const mode of [{ name: 'websocket', webSocket: true }, { name: 'polling 1000 ms (Web Chat default)', webSocket: false, pollingInterval: 1000 }]) {
      const res = await fetch(`${t.app.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { Authorization: `Bearer ${SITE_SECRET}` } });
      const { token } = (await res.json()) as { token: string };
      const client = new Recorder(directLine(t.app, { token, webSocket: mode.webSocket, pollingInterval: mode.pollingInterval ?? 200, conversationStartProperties: { locale: 'en-US' } }));
      const arrived = new Map<Activity, number>();
      client.dl.activity$.subscribe({ next: (a) => arrived.set(a, performance.now()), error: () => undefined });
      await client.waitFor(3, (a) => a.from.role === 'bot');
      const latencies: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const clientActivityID = `m-${i}`;
        const started = performance.now();
        client.dl.postActivity({ type: 'message', from: { id: 'u', role: 'user' }, text: 'hello', locale: 'en-US', channelData: { clientActivityID } }).subscribe();
        const [echo] = await client.waitFor(1, (a) => (a.channelData as { clientActivityID?: string } | undefined)?.clientActivityID === clientActivityID);
        const [reply] = await client.waitFor(1, (a) => a.from.role === 'bot' && (a as { replyToId?: string }).replyToId === echo?.id);
        latencies.push((reply && arrived.get(reply)) ? (arrived.get(reply) as number) - started : NaN);
      }
      client.end();
      process.stdout.write(`${mode.name}: first reply after ${median(latencies).toFixed(0)} ms (median of ${ROUNDS}; min ${Math.min(...latencies).toFixed(0)}, max ${Math.max(...latencies).toFixed(0)})\n`);
    }
  } finally {
    await t.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
