import crypto from 'node:crypto';
import type { Locale } from '../../src/config/locales';
import type { Provider } from '../../src/store/db';
import type { SurveysFeature, SurveyTrigger } from '../../src/features/surveys';
import { TestBot } from '../support/harness';
import { expectInOrder } from '../support/reads';
import { waitUntil } from '../support/wait';

/** One row of a turn table: what the customer types, the fragments they read (in order), and how many messages. */
export type SurveyTurn = [said: string, reads: string[], also?: { replies?: number; absent?: string[] }];

/** The real app (its send job run by hand), with a customer's conversation and the survey's rows at hand. */
export class SurveyTestBot extends TestBot {
  constructor(provider: Provider, overrides: Record<string, string> = {}) {
    super(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', ...overrides });
  }

  get module(): SurveysFeature {
    return this.app.features.surveys;
  }

  get db() {
    return this.app.store.db;
  }

  /**
   * Delivers the recorded events, and waits for those the app's own dispatcher holds: on PostgreSQL
   * its NOTIFY-woken loop may have leased an event when runUntilIdle() looks, which then skips it.
   */
  async deliverEvents(): Promise<void> {
    await this.app.dispatcher.runUntilIdle();
    await waitUntil(async () => (await this.db.eventDelivery.count({ where: { status: 'PENDING' } })) === 0, 'every recorded event delivered');
  }

  /** A new customer's conversation (they said hello and read the welcome). */
  async conversation(locale: Locale): Promise<Conversation> {
    const channelConversationId = `survey-${crypto.randomBytes(5).toString('hex')}`;
    await this.say({ text: locale === 'zh-CN' ? '你好' : 'hello', locale, conversationId: channelConversationId }, 3);
    const row = await this.db.conversation.findFirstOrThrow({ where: { channelConversationId } });
    return new Conversation(this, channelConversationId, row.id, row.customerId as string, locale);
  }
}

export class Conversation {
  constructor(
    readonly bot: SurveyTestBot,
    readonly channelId: string,
    readonly id: string,
    readonly customerId: string,
    readonly locale: Locale,
  ) {}

  /** Offers a survey as a trigger would and runs the send job; returns what the customer read. */
  async offer(trigger: SurveyTrigger = 'manual', extra: { ticketId?: string; causeKey?: string } = {}): Promise<string[]> {
    const before = this.bot.listener.for(this.channelId).length;
    await this.bot.module.surveys.schedule({ customerId: this.customerId, conversationId: this.id, trigger, causeKey: extra.causeKey ?? `test:${crypto.randomUUID()}`, ticketId: extra.ticketId });
    await this.bot.module.surveys.sendDue();
    return this.bot.listener.texts(this.channelId).slice(before);
  }

  async say(text: string, replies = 1): Promise<string[]> {
    return this.bot.say({ text, locale: this.locale, conversationId: this.channelId }, replies);
  }

  /** Plays a turn table: each message typed, each reply read. */
  async play(turns: SurveyTurn[]): Promise<void> {
    for (const [said, reads, also = {}] of turns) {
      const before = this.bot.listener.for(this.channelId).length;
      await this.bot.post('/api/messages', this.bot.activity({ text: said, locale: this.locale, conversationId: this.channelId }));
      // The replies reach the channel during the turn; waiting for them by event keeps a loaded machine from reading too early.
      await this.bot.listener.waitFor(before + (also.replies ?? (reads.length ? 1 : 0)), this.channelId);
      const texts = this.bot.listener.texts(this.channelId).slice(before);
      if (also.replies !== undefined) expect({ said, replies: texts.length }).toEqual({ said, replies: also.replies });
      expectInOrder(said, texts.join('\n'), reads);
      for (const fragment of also.absent ?? []) {
        if (texts.join('\n').includes(fragment)) throw new Error(`After "${said}" the customer should not read "${fragment}", but read:\n${texts.join('\n')}`);
      }
    }
  }

  /** The conversation's surveys, oldest first. */
  surveys() {
    return this.bot.db.survey.findMany({ where: { conversationId: this.id }, orderBy: { createdAt: 'asc' } });
  }

  async survey() {
    const all = await this.surveys();
    expect(all).toHaveLength(1);
    return all[0];
  }
}
