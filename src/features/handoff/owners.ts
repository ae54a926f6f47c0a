import { foldText } from '../../nlu/normalize';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { ConversationOwners } from '../../bot/kefuBot';
import { turnInfo } from '../../bot/turnState';
import type { I18n } from '../../i18n/i18n';
import type { Db } from '../../store/db';
import type { HandoffDesk } from './desk';
import type { PlaceNotices } from './places';
import type { HandoffQueueService } from './queue';
import type { TypingRelay } from './typing';

function said(context: TurnContext): string {
  return context.activity.type === ActivityTypes.Message && typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
}

/**
 * Who answers while the bot does not own the conversation. The customer's message is already in
 * the transcript (the turn middleware stored it): here it is relayed to the console, and the bot
 * says nothing of its own, except the queue's short answers (left, noted with the place in line).
 */
export function handoffOwners(deps: { db: Db; i18n: I18n; queue: HandoffQueueService; desk: HandoffDesk; typing: TypingRelay; places: PlaceNotices; clock: () => Date }): ConversationOwners {
  const matches = (context: TurnContext, key: string) => {
    const text = foldText(said(context));
    return text !== '' && deps.i18n.list(turnInfo(context).locale, key).some((k) => text === foldText(k));
  };
  const relay = async (context: TurnContext, handoffId: string, agentId: string | null) => {
    const text = said(context);
    const photos = (context.activity.attachments ?? []).length;
    if (!text && !photos) return;
    await deps.queue.publish({
      kind: 'message',
      handoffId,
      conversationId: turnInfo(context).conversationId,
      agentId,
      message: { from: 'customer', text: text || `[${photos} attachment(s)]`, at: new Date().toISOString() },
    });
  };
  return {
    // Not by the turn's owner: the cached record may predate the accept (the relay knows, from its own cache).
    typing: (context) => deps.typing.customerTyping(turnInfo(context).conversationId),
    QUEUED: async (context) => {
      const info = turnInfo(context);
      const handoff = await deps.queue.open(info.conversationId);
      if (handoff?.queue === 'external') return; // the contact centre answers
      if (matches(context, 'handoff.phrases.leave') || matches(context, 'dialogs.keywords.cancel')) {
        if (await deps.queue.leave(info.conversationId, info.customerId)) deps.places.queueMoved();
        info.owner = { status: 'BOT', agentId: null, queue: null };
        await context.sendActivity(deps.i18n.t(info.locale, 'handoff.customer.left'));
        return;
      }
      if (!handoff || handoff.status !== 'QUEUED') return;
      await relay(context, handoff.id, null);
      const position = await deps.queue.position(handoff);
      await deps.db.handoff.updateMany({ where: { id: handoff.id }, data: { positionToldAt: deps.clock(), positionTold: position } });
      await context.sendActivity(deps.i18n.t(info.locale, 'handoff.customer.noted', { position, minutes: await deps.queue.estimateMinutes(handoff.queue, position) }));
    },
    AGENT: async (context) => {
      const info = turnInfo(context);
      const handoff = await deps.queue.open(info.conversationId);
      if (!handoff || handoff.status !== 'ACTIVE') return;
      if (matches(context, 'handoff.phrases.end')) {
        await deps.desk.end(handoff.id, { customerId: info.customerId }, 'customer');
        info.owner = { status: 'BOT', agentId: null, queue: null };
        return;
      }
      // Idle time counts from here (on the app's clock; written at most every half minute), and a warning is void once the customer writes.
      const now = deps.clock();
      if (handoff.idleWarnedAt || !handoff.customerAt || now.getTime() - handoff.customerAt.getTime() >= 30_000) {
        await deps.db.handoff.updateMany({ where: { id: handoff.id }, data: { customerAt: now, idleWarnedAt: null } });
      }
      await relay(context, handoff.id, handoff.agentId);
    },
  };
}
