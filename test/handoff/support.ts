import WebSocket from 'ws';
import { sh } from '../support/clock';
import { PROVIDERS } from '../support/db';
import { waitUntil } from '../support/wait';
import { TestBot } from '../support/harness';
import { createStaffAccount, StaffBrowser } from '../staff/support';

export { PROVIDERS };

/** The real app with three staff members signed in to the console: agents Lin and Zhao, supervisor Wang. */
export class HandoffTestBot extends TestBot {
  lin!: StaffBrowser;
  zhao!: StaffBrowser;
  wang!: StaffBrowser;
  ids: Record<'lin' | 'zhao' | 'wang', string> = { lin: '', zhao: '', wang: '' };

  async startWithStaff(): Promise<this> {
    await this.start();
    const people = [
      ['lin', '林小美', 'agent'],
      ['zhao', '赵强', 'agent'],
      ['wang', '王主管', 'supervisor'],
    ] as const;
    for (const [login, name, role] of people) {
      this.ids[login] = (await createStaffAccount(this, { name, role, login, password: `${login}-password-1` })).id;
      const browser = new StaffBrowser(this);
      await browser.signIn(login, `${login}-password-1`);
      this[login] = browser;
    }
    return this;
  }

  /** A manager (钱经理, login qian) signed in: reads chats, takes part in none. */
  async signedInManager(): Promise<StaffBrowser> {
    await createStaffAccount(this, { name: '钱经理', role: 'manager', login: 'qian', password: 'qian-password-1' });
    const manager = new StaffBrowser(this);
    await manager.signIn('qian', 'qian-password-1');
    return manager;
  }

  /** The conversation row of a channel conversation, after its first message. */
  async conversation(channelConversationId: string) {
    return this.app.store.db.conversation.findFirstOrThrow({ where: { channelConversationId } });
  }

  /** Makes the conversation's customer a signed-in shop customer (as a verified identity would). */
  async verify(channelConversationId: string, externalId: string): Promise<void> {
    const c = await this.conversation(channelConversationId);
    await this.app.store.db.customer.update({ where: { id: c.customerId as string }, data: { externalId } });
  }

  /** Sends a customer message and returns the replies that reached the channel during its turn (none is fine). */
  async write(conversationId: string, text: string, locale = 'zh-CN'): Promise<string[]> {
    const before = this.listener.for(conversationId).length;
    const res = await this.post('/api/messages', this.activity({ conversationId, text, locale }));
    if (res.status >= 300) throw new Error(`POST /api/messages answered ${res.status}: ${res.body}`);
    return this.listener.texts(conversationId).slice(before);
  }

  /** The handoff the customer of this channel conversation opened last. */
  async handoffOf(channelConversationId: string) {
    const c = await this.conversation(channelConversationId);
    return this.app.store.db.handoff.findFirstOrThrow({ where: { conversationId: c.id }, orderBy: { requestedAt: 'desc' } });
  }

  /** Sets the tests' clock to this Shanghai time of Thursday 2026-11-26 (business hours from 9:00), and returns it. */
  at(time: string): Date {
    this.clock.set(sh(`2026-11-26T${time}`));
    return this.clock.now();
  }

  async allOffline(): Promise<void> {
    await this.app.store.db.agentPresence.updateMany({ data: { status: 'offline' } });
  }
}

/** The console's WebSocket, opened as the browser would (session cookie, this site's Origin); collects what it is sent. */
export async function openConsoleSocket(bot: TestBot, browser: StaffBrowser): Promise<{ ws: WebSocket; received: Record<string, unknown>[] }> {
  const ws = new WebSocket(`ws://${new URL(bot.app.url).host}/agent/ws`, { headers: { cookie: browser.cookie, origin: bot.app.url } });
  const received: Record<string, unknown>[] = [];
  ws.on('message', (data) => received.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, received };
}

/** Closes a console socket and waits for its agent's presence to drop (else it may set them offline during the next test). */
export async function closeConsoleSocket(bot: TestBot, ws: WebSocket, agentId: string): Promise<void> {
  ws.close();
  await waitUntil(async () => (await bot.app.store.db.agentPresence.findUnique({ where: { agentId } }))?.status === 'offline', 'the console socket closed');
}
