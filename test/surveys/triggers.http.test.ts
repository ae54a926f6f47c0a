import type { Locale } from '../../src/config/locales';
import { HANDOFF_ENDED } from '../../src/features/surveys';
import { PROVIDERS } from '../support/db';
import { SurveyTestBot } from './support';

/*
 * The survey's triggers over the real app: each is an event (ticket.notice "resolved", ticket.opened,
 * handoff.ended) delivered by the dispatcher, then the send job. The app clock follows the wall clock
 * here (the "customer has gone quiet" rule compares it with the transcript's times) and quiet hours
 * are off, so the tests do not depend on the time of day they run at.
 */
const NO_QUIET_HOURS = { SURVEYS_QUIET_HOURS_START: '00:00', SURVEYS_QUIET_HOURS_END: '00:00' };
const MINUTE = 60_000;

describe.each(PROVIDERS)('survey triggers on %s', (provider) => {
  const bot = new SurveyTestBot(provider, NO_QUIET_HOURS);
  const off = new SurveyTestBot(provider, { ...NO_QUIET_HOURS, SURVEYS_ON_TICKET_RESOLVED: 'false', SURVEYS_ON_TASK_FINISHED: 'false', SURVEYS_ON_HANDOFF_ENDED: 'false' });
  beforeAll(async () => {
    await bot.start();
    await off.start();
  }, 90_000);
  afterAll(async () => {
    await bot.stop();
    await off.stop();
  });
  beforeEach(() => {
    bot.clock.set(new Date());
    off.clock.set(new Date());
  });

  const handoffEnded = async (app: SurveyTestBot, conversationId: string, agentId: string) => {
    await app.db.$transaction((tx) => app.app.events.record(tx, [{ type: HANDOFF_ENDED, subject: `Conversation:${conversationId}`, payload: { conversationId, agent: agentId, reason: 'resolved' } }]));
    await app.deliverEvents();
  };

  test.each<[Locale, string]>([
    ['zh-CN', '已处理完毕。您对这次服务满意吗？'],
    ['en-US', 'has been resolved. How satisfied are you with our service?'],
  ])('(%s) when an agent resolves a ticket, then the survey comes once, in the conversation it was opened in and in its language, tied to the ticket and the agent', async (locale, question) => {
    const chat = await bot.conversation(locale);
    const { agent } = await bot.app.features.tickets.agents.create({ name: `Agent ${locale}`, role: 'agent' });
    const tickets = bot.app.features.tickets.tickets;
    const ticket = await tickets.open({ customerId: chat.customerId, conversationId: chat.id, category: 'consultation', summary: 'Invoice?', actor: { type: 'bot' } });
    await tickets.assign(ticket.number, agent.id, { type: 'agent', id: agent.id, role: 'agent' });
    await tickets.changeStatus(ticket.number, 'OPEN', { type: 'agent', id: agent.id, role: 'agent' });
    await tickets.changeStatus(ticket.number, 'RESOLVED', { type: 'agent', id: agent.id, role: 'agent' }, { resolutionSummary: 'Invoice sent' });
    await bot.deliverEvents();
    // At least once: the same resolved notice delivered again schedules nothing more.
    const notices = await bot.db.domainEvent.findMany({ where: { type: 'ticket.notice', subject: `Ticket:${ticket.id}` } });
    const resolved = notices.find((e) => (e.payload as { kind: string }).kind === 'resolved')!;
    await bot.app.events.subscriber('surveys.ticket-resolved')!.handle({ ...resolved, payload: resolved.payload }, { attempt: 2 });
    await bot.module.surveys.sendDue();
    await bot.module.surveys.sendDue();
    const texts = bot.listener.texts(chat.channelId);
    expect(texts.filter((t) => t.includes(question))).toEqual([expect.stringContaining(ticket.number)]);
    expect(await chat.survey()).toMatchObject({ trigger: 'ticket_resolved', status: 'SENT', ticketId: ticket.id, ticketCategory: 'consultation', agentId: agent.id, locale });
  });

  test.each<[Locale, string]>([
    ['zh-CN', '刚才的事情办好了吗？您对这次服务满意吗？'],
    ['en-US', 'All done with that? How satisfied are you with our service today?'],
  ])('(%s) when a customer opens a return in chat, then the survey comes only once they have been quiet for 10 minutes', async (locale, question) => {
    const chat = await bot.conversation(locale);
    const ticket = await bot.app.features.tickets.tickets.open({ customerId: chat.customerId, conversationId: chat.id, category: 'return', summary: 'Too small', actor: { type: 'customer', id: chat.customerId } });
    await bot.deliverEvents();
    const scheduled = await chat.survey();
    expect(scheduled).toMatchObject({ trigger: 'task_finished', status: 'SCHEDULED', ticketId: ticket.id, ticketCategory: 'return' });
    expect(scheduled.sendAfter.getTime()).toBe(bot.clock.current.getTime() + 10 * MINUTE);

    await chat.say(locale === 'zh-CN' ? '谢谢' : 'thanks'); // the customer is still there
    const { lastActivityAt } = await bot.db.conversation.findUniqueOrThrow({ where: { id: chat.id } });
    bot.clock.set(scheduled.sendAfter);
    expect(await bot.module.surveys.sendDue()).toBe(0);
    const deferred = await chat.survey();
    // The customer wrote after the clock was read for the task, so 10 quiet minutes end later than planned.
    expect(deferred).toMatchObject({ status: 'SCHEDULED', sendAfter: new Date(lastActivityAt.getTime() + 10 * MINUTE) });

    bot.clock.set(deferred.sendAfter);
    expect(await bot.module.surveys.sendDue()).toBe(1);
    expect(bot.listener.texts(chat.channelId).pop()).toContain(question);
  });

  test.each<[Locale, string]>([
    ['zh-CN', '本次人工服务已结束。您对客服的服务满意吗？'],
    ['en-US', 'Your chat with our agent has ended. How satisfied are you with the service you received?'],
  ])('(%s) when an agent chat ends, then the survey comes once, tied to the agent', async (locale, question) => {
    const chat = await bot.conversation(locale);
    const { agent } = await bot.app.features.tickets.agents.create({ name: `Chat agent ${locale}`, role: 'agent' });
    await handoffEnded(bot, chat.id, agent.id);
    await handoffEnded(bot, chat.id, agent.id); // another end event of the same chat is another cause, but the cap holds
    await bot.module.surveys.sendDue();
    expect(bot.listener.texts(chat.channelId).filter((t) => t.includes(question))).toHaveLength(1);
    // Both were scheduled at the same instant: which one is sent is not fixed, only that one is.
    expect((await chat.surveys()).map((s) => [s.trigger, s.status, s.agentId]).sort()).toEqual([
      ['handoff_ended', 'SENT', agent.id],
      ['handoff_ended', 'SKIPPED', agent.id],
    ]);
  });

  test.each<Locale>(['zh-CN', 'en-US'])('(%s) when every trigger is switched off, then a resolved ticket, a return and an ended chat offer no survey', async (locale) => {
    const chat = await off.conversation(locale);
    const tickets = off.app.features.tickets.tickets;
    const question = await tickets.open({ customerId: chat.customerId, conversationId: chat.id, category: 'consultation', summary: 'Invoice?', actor: { type: 'bot' } });
    await tickets.changeStatus(question.number, 'OPEN', { type: 'system', id: 'test' });
    await tickets.changeStatus(question.number, 'RESOLVED', { type: 'system', id: 'test' }, { resolutionSummary: 'Sent' });
    await tickets.open({ customerId: chat.customerId, conversationId: chat.id, category: 'return', summary: 'Too small', actor: { type: 'customer', id: chat.customerId } });
    await handoffEnded(off, chat.id, 'agent-1');
    off.clock.set(new Date(Date.now() + 60 * MINUTE));
    await off.module.surveys.sendDue();
    expect(await chat.surveys()).toEqual([]);
  });
});
