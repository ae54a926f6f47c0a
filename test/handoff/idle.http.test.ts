import { IdleWatch } from '../../src/features/handoff/idle';
import { HandoffTestBot, PROVIDERS } from './support';

/*
 * A customer who stops writing in a live chat is warned, then handed back to the bot. The app runs on
 * the tests' clock (Thursday 2026-11-26 in Shanghai); the job's handler is called as the scheduler
 * would, with the clock's time. HANDOFF_IDLE_MINUTES=10, warned 2 minutes before.
 */
describe.each(PROVIDERS)('idle customers in live chats on %s', (provider) => {
  const bot = new HandoffTestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', HANDOFF_IDLE_MINUTES: '10', HANDOFF_IDLE_WARN_MINUTES: '2' });
  const idle = () => bot.app.features.handoff.idle;
  /** A second instance's watch: its own lease holder, the same store. */
  const otherInstance = () => new IdleWatch(idle().deps);
  const at = (time: string) => bot.at(time);

  beforeAll(async () => {
    await bot.startWithStaff();
  });
  afterAll(() => bot.stop());
  beforeEach(() => bot.allOffline());

  async function liveChat(conversationId: string, ask: string, locale: string, startAt: string): Promise<string> {
    at(startAt);
    await bot.lin.request('POST', '/agent/api/presence', { status: 'online' });
    await bot.write(conversationId, ask, locale);
    const { id } = await bot.handoffOf(conversationId);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/accept`, {})).status).toBe(200);
    return id;
  }

  test('when the customer stops writing, then they are warned once (one instance of two), and the chat ends as idle and the bot is back', async () => {
    const id = await liveChat('idle-zh', '转人工', 'zh-CN', '10:00:00');
    at('10:01:00');
    await bot.write('idle-zh', '好的我看看');

    expect(await idle().run(at('10:08:30'))).toEqual({ warned: 0, ended: 0 });
    const now = at('10:09:30');
    const runs = await Promise.all([idle().run(now), otherInstance().run(now)]);
    expect(runs.map((r) => r?.warned ?? 0).sort()).toEqual([0, 1]);
    const warnings = bot.listener.texts('idle-zh').filter((t) => t.includes('您还在吗'));
    expect(warnings).toEqual([expect.stringContaining('2 分钟内没有收到您的消息')]);
    expect(await idle().run(at('10:10:30'))).toEqual({ warned: 0, ended: 0 });

    expect(await idle().run(at('10:11:31'))).toEqual({ warned: 0, ended: 1 });
    expect(bot.listener.texts('idle-zh').at(-1)).toContain('由于较长时间没有收到您的消息，本次人工服务已结束');
    expect(await bot.handoffOf('idle-zh')).toMatchObject({ id, status: 'ENDED', endReason: 'idle' });
    const conversation = await bot.conversation('idle-zh');
    expect(conversation.status).toBe('BOT');
    const ended = await bot.app.store.db.domainEvent.findMany({ where: { type: 'handoff.ended' } });
    expect(ended.map((e) => e.payload)).toContainEqual(expect.objectContaining({ handoffId: id, reason: 'idle' }));
    const audit = await bot.app.store.db.auditLog.findFirstOrThrow({ where: { entityId: id, action: 'handoff.end' } });
    expect(audit).toMatchObject({ actorType: 'system', reason: 'idle' });
    expect((await bot.write('idle-zh', '查订单')).length).toBeGreaterThan(0);
  });

  test('when a warned customer writes again, then the chat stays with the agent and the idle time starts over (English)', async () => {
    const id = await liveChat('idle-en', 'talk to a person', 'en-US', '14:00:00');
    expect(await idle().run(at('14:08:01'))).toMatchObject({ warned: 1 });
    expect(bot.listener.texts('idle-en').at(-1)).toBe("Are you still there? If we don't hear from you within 2 min, this chat with our agent will end.");
    at('14:09:00');
    expect(await bot.write('idle-en', 'still here, checking my order')).toEqual([]);
    expect(await idle().run(at('14:10:30'))).toEqual({ warned: 0, ended: 0 });
    expect((await bot.handoffOf('idle-en')).status).toBe('ACTIVE');

    expect(await idle().run(at('14:17:01'))).toEqual({ warned: 1, ended: 0 });
    expect(await idle().run(at('14:19:01'))).toEqual({ warned: 0, ended: 1 });
    expect(bot.listener.texts('idle-en').at(-1)).toContain("As we haven't heard from you for a while, the chat with our agent has ended.");
    expect(await bot.handoffOf('idle-en')).toMatchObject({ id, status: 'ENDED', endReason: 'idle' });
  });
});
