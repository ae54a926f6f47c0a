import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

/** HANDOFF_MODE=external: a contact centre takes the chat through the Bot Framework handoff events. */
describe.each(PROVIDERS)('handoff to a contact centre on %s', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', HANDOFF_MODE: 'external' });

  beforeAll(() => bot.start());
  afterAll(() => bot.stop());

  test('when a customer asks for a person, then handoff.initiate goes out with the transcript, the bot stays silent, and handoff.status completed gives the chat back', async () => {
    await bot.say({ conversationId: 'cc', text: 'where is my order', locale: 'en-US' });
    const before = bot.listener.for('cc').length;
    await bot.post('/api/messages', bot.activity({ conversationId: 'cc', text: 'talk to a person', locale: 'en-US' }));
    const sent = bot.listener.for('cc').slice(before).map((r) => r.activity);
    const initiate = sent.find((x) => x.type === 'event' && x.name === 'handoff.initiate');
    expect(initiate).toBeDefined();
    expect(initiate!.value).toMatchObject({ reason: 'asked', text: 'talk to a person' });
    const transcript = (initiate!.attachments as { name: string; content: { activities: { text: string }[] } }[])[0];
    expect(transcript.name).toBe('Transcript');
    expect(transcript.content.activities.map((x) => x.text)).toContain('where is my order');
    expect(sent.map((x) => x.text)).toContain('Sure, I\'m transferring you to a person. One moment please.');

    const quiet = bot.listener.for('cc').length;
    await bot.post('/api/messages', bot.activity({ conversationId: 'cc', text: 'where is my order', locale: 'en-US' }));
    expect(bot.listener.for('cc').length).toBe(quiet);

    await bot.post('/api/messages', { ...bot.activity({ conversationId: 'cc', type: 'event', name: 'handoff.status' }), value: { state: 'completed' } });
    const conversation = await bot.app.store.db.conversation.findFirstOrThrow({ where: { channelConversationId: 'cc' } });
    expect(conversation.status).toBe('BOT');
    expect(await bot.app.store.db.handoff.findFirstOrThrow({ where: { conversationId: conversation.id } })).toMatchObject({ status: 'ENDED', endReason: 'completed' });
    expect((await bot.say({ conversationId: 'cc', text: 'where is my order', locale: 'en-US' })).length).toBeGreaterThan(0);
  });
});
