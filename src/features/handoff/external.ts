import { ActivityTypes, EventFactory, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import { turnInfoOrUndefined } from '../../bot/turnState';
import type { ConversationLifecycle } from '../../crm/lifecycle';
import type { Db } from '../../store/db';
import type { HandoffQueueService } from './queue';
import { secondsBetween } from './queue';
import type { HandoffReason } from './types';

/**
 * HANDOFF_MODE=external: a contact centre takes the chat. The bot emits the standard Bot Framework
 * `handoff.initiate` event (EventFactory.createHandoffInitiation) with the reason and the transcript,
 * keeps the conversation QUEUED (queue "external": the bot stays silent), and follows the
 * `handoff.status` events the channel sends back: accepted, completed, failed.
 */
export class ExternalHandoff {
  constructor(private readonly deps: { db: Db; queue: HandoffQueueService; lifecycle: ConversationLifecycle; clock: () => Date }) {}

  async initiate(context: TurnContext, reason: HandoffReason, reasonText: string): Promise<void> {
    const info = turnInfoOrUndefined(context);
    if (!info) return;
    const now = this.deps.clock();
    const messages = await this.deps.db.message.findMany({ where: { conversationId: info.conversationId, text: { not: null } }, orderBy: { timestamp: 'desc' }, take: 50 });
    const activities = messages.reverse().map(
      (m): Partial<Activity> => ({ type: ActivityTypes.Message, text: m.text ?? '', timestamp: m.timestamp, from: { id: m.senderType === 'customer' ? (context.activity.from?.id ?? 'customer') : 'bot', name: m.senderType, role: m.senderType === 'customer' ? 'user' : 'bot' } }),
    );
    await this.deps.db.$transaction(async (tx) => {
      await tx.handoff.create({ data: { conversationId: info.conversationId, customerId: info.customerId, queue: 'external', reason, reasonText: reasonText.slice(0, 500), locale: info.locale, requestedAt: now } });
      await this.deps.lifecycle.moveIn(tx, info.conversationId, { to: 'QUEUED', from: 'BOT', queue: 'external', reason, actor: { type: 'customer', id: info.customerId } });
    });
    info.owner = { status: 'QUEUED', agentId: null, queue: 'external' };
    await context.sendActivity(EventFactory.createHandoffInitiation(context, { reason, text: reasonText, locale: info.locale, customerId: info.customerId }, { activities: activities as Activity[] }));
  }

  /** Middleware: `handoff.status` events from the contact centre (accepted / completed / failed). */
  readonly statusMiddleware: Middleware = {
    onTurn: async (context, next) => {
      const { activity } = context;
      const info = turnInfoOrUndefined(context);
      if (activity.type !== ActivityTypes.Event || activity.name !== 'handoff.status' || !info) return next();
      const state = (activity.value as { state?: string } | undefined)?.state;
      const handoff = await this.deps.db.handoff.findFirst({ where: { conversationId: info.conversationId, queue: 'external', status: { in: ['QUEUED', 'ACTIVE'] } } });
      if (!handoff) return;
      const now = this.deps.clock();
      if (state === 'accepted') {
        await this.deps.db.handoff.updateMany({ where: { id: handoff.id }, data: { status: 'ACTIVE', acceptedAt: now, queueWaitSeconds: secondsBetween(handoff.requestedAt, now) } });
        return;
      }
      if (state !== 'completed' && state !== 'failed') return;
      await this.deps.db.$transaction(async (tx) => {
        await this.deps.queue.close(tx, handoff, { status: state === 'completed' ? 'ENDED' : 'CANCELLED', endedAt: now, endReason: state, handleSeconds: handoff.acceptedAt ? secondsBetween(handoff.acceptedAt, now) : null });
        await this.deps.lifecycle.moveIn(tx, info.conversationId, { to: 'BOT', from: 'QUEUED', reason: `contact centre: ${state}`, actor: { type: 'system', id: 'contact-centre' } });
      });
      info.owner = { status: 'BOT', agentId: null, queue: null };
    },
  };
}
