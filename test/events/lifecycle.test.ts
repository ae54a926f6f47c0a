import { CONVERSATION_STATUS_CHANGED, CONVERSATION_TRANSITIONS, ConversationLifecycle, type ConversationStatus, type StatusChanged } from '../../src/crm/lifecycle';
import { AppError } from '../../src/errors';
import { EventLog } from '../../src/events/eventLog';
import { openTestStore, PROVIDERS } from '../support/db';

const STATUSES: ConversationStatus[] = ['BOT', 'QUEUED', 'AGENT', 'CLOSED'];
const ALLOWED: [ConversationStatus, ConversationStatus][] = [
  ['BOT', 'QUEUED'], ['BOT', 'AGENT'], ['BOT', 'CLOSED'],
  ['QUEUED', 'AGENT'], ['QUEUED', 'BOT'], ['QUEUED', 'CLOSED'],
  ['AGENT', 'BOT'], ['AGENT', 'AGENT'], ['AGENT', 'QUEUED'], ['AGENT', 'CLOSED'],
  ['CLOSED', 'BOT'],
];

describe.each(PROVIDERS)('the conversation lifecycle (%s)', (provider) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  let lifecycle: ConversationLifecycle;
  let agents: string[];
  const bot = { type: 'bot' as const };

  beforeAll(async () => {
    t = await openTestStore(provider, 'lifecycle');
    lifecycle = new ConversationLifecycle(t.store.db, new EventLog(provider));
    agents = [];
    for (const name of ['林小美', '王强']) agents.push((await t.store.db.agent.create({ data: { name, role: 'agent', tokenHash: `h-${name}` } })).id);
  }, 60_000);
  afterAll(() => t.close());

  let n = 0;
  /** A conversation put in `status` the way the app would get it there. */
  async function conversationIn(status: ConversationStatus): Promise<string> {
    const customer = await t.store.db.customer.create({ data: { name: `c${++n}` } });
    const { id } = await t.store.db.conversation.create({ data: { channelId: 'test', channelConversationId: `life-${n}`, customerId: customer.id, reference: {} } });
    if (status === 'QUEUED') await lifecycle.move(id, { to: 'QUEUED', actor: bot });
    if (status === 'AGENT') await lifecycle.move(id, { to: 'AGENT', agentId: agents[0], actor: bot });
    if (status === 'CLOSED') await lifecycle.move(id, { to: 'CLOSED', actor: bot });
    return id;
  }

  test('the table is the one documented: every move listed is allowed and nothing else', () => {
    const table = STATUSES.flatMap((from) => CONVERSATION_TRANSITIONS[from].map((to) => [from, to]));
    expect(table.sort()).toEqual([...ALLOWED].sort());
  });

  describe.each(STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const)))('from %s to %s', (from, to) => {
    const allowed = ALLOWED.some(([f, tt]) => f === from && tt === to);
    test(allowed ? 'is allowed, recorded as an event and in the audit log' : 'is refused and changes nothing', async () => {
      const id = await conversationIn(from);
      const before = await lifecycle.get(id);
      const agentId = to === 'AGENT' ? (from === 'AGENT' ? agents[1] : agents[0]) : undefined;
      const move = lifecycle.move(id, { to, agentId, queue: to === 'QUEUED' ? 'supervisors' : undefined, actor: { type: 'agent', id: agents[0] }, reason: 'test' });
      if (!allowed) {
        await expect(move).rejects.toMatchObject({ code: 'invalid_transition' });
        expect(await lifecycle.get(id)).toEqual(before);
        return;
      }
      const after = await move;
      expect(after.status).toBe(to);
      expect(after.lifecycleVersion).toBe(before.lifecycleVersion + 1);
      expect(after.agentId).toBe(to === 'AGENT' ? agentId : null);
      expect(after.queue).toBe(to === 'QUEUED' ? 'supervisors' : null);
      expect(after.waitingSince !== null).toBe(to === 'QUEUED');
      expect(after.closedAt !== null).toBe(to === 'CLOSED');
      const events = await t.store.db.domainEvent.findMany({ where: { subject: `Conversation:${id}`, type: CONVERSATION_STATUS_CHANGED }, orderBy: { id: 'asc' } });
      const last = events.at(-1)?.payload as unknown as StatusChanged;
      expect([last.from, last.to, last.agentId, last.reason]).toEqual([from, to, agentId ?? null, 'test']);
      const audit = await t.store.db.auditLog.findMany({ where: { entity: 'Conversation', entityId: id }, orderBy: { createdAt: 'asc' } });
      expect(audit.at(-1)).toMatchObject({ action: 'conversation.status', actorType: 'agent', actorId: agents[0], reason: 'test' });
    });
  });

  test('when two agents accept the same waiting conversation at once, then exactly one gets it and the other is told it is taken', async () => {
    const id = await conversationIn('QUEUED');
    const results = await Promise.allSettled(agents.map((agentId) => lifecycle.move(id, { to: 'AGENT', agentId, from: 'QUEUED', actor: { type: 'agent', id: agentId } })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(AppError);
    expect((refused.reason as AppError).code).toBe('conflict');
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ agentId: string }>).value.agentId;
    expect((await lifecycle.get(id)).agentId).toBe(winner);
  });

  test('when an agent transfers a conversation back to a queue, then it waits there from the transfer on', async () => {
    const id = await conversationIn('AGENT');
    const at = new Date('2026-11-30T08:00:00Z');
    const transferring = new ConversationLifecycle(t.store.db, new EventLog(provider), () => at);
    const back = await transferring.move(id, { to: 'QUEUED', queue: 'supervisors', actor: { type: 'agent', id: agents[0] } });
    expect([back.status, back.queue, back.waitingSince, back.agentId]).toEqual(['QUEUED', 'supervisors', at, null]);
  });

  test('when a conversation is unknown, then the move says so', async () => {
    await expect(lifecycle.move('no-such-conversation', { to: 'QUEUED', actor: bot })).rejects.toMatchObject({ code: 'not_found' });
  });
});
