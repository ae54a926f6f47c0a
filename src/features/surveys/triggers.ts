import type { DomainEvent, Subscription } from '../../events/eventLog';
import type { Db } from '../../store/db';
import { ORDER_CHANGED } from '../orders';
import { TICKET_NOTICE, TICKET_OPENED, type CustomerNotice, type TicketOpened } from '../tickets';
import type { SurveysConfig } from './config';
import type { SurveyService } from './service';

/** The handoff's durable event when an agent chat ends (payload: conversation id, agent, reason). */
export const HANDOFF_ENDED = 'handoff.ended';

/** Self-service tasks whose ticket, opened by the customer in chat, is the end of the task. */
const SELF_SERVICE_TICKETS = new Set(['return', 'exchange', 'repair']);

interface HandoffEnded {
  conversationId: string;
  agent?: string | { id?: string | null } | null;
  agentId?: string | null;
  reason?: string;
}

interface OrderChanged {
  orderId: string;
  by?: { type?: string; id?: string | null };
}

/**
 * The survey's triggers, each an event subscriber (idempotent: one survey per cause, whatever the
 * redeliveries) and each switchable: a ticket resolved (asked in the conversation the ticket was
 * opened in), a self-service task finished in chat (a return, exchange or repair opened; an order
 * cancelled or its address changed), once the customer has been quiet for SURVEYS_QUIET_MINUTES, and
 * an agent chat ended.
 */
export function surveyTriggers(deps: { db: Db; surveys: SurveyService; config: SurveysConfig; clock: () => Date }): Subscription[] {
  const { config, surveys, db } = deps;
  if (!config.SURVEYS_ENABLED) return [];
  const quietLater = () => new Date(deps.clock().getTime() + config.SURVEYS_QUIET_MINUTES * 60_000);
  const subscriptions: Subscription[] = [];

  if (config.SURVEYS_ON_TICKET_RESOLVED) {
    subscriptions.push({
      name: 'surveys.ticket-resolved',
      types: [TICKET_NOTICE],
      handle: async (event: DomainEvent) => {
        const notice = event.payload as CustomerNotice;
        if (notice.kind !== 'resolved' || !notice.conversationId) return;
        const ticket = await db.ticket.findUnique({ where: { id: notice.ticketId }, select: { ownerId: true, assigneeId: true } });
        await surveys.schedule({
          customerId: notice.customerId,
          conversationId: notice.conversationId,
          trigger: 'ticket_resolved',
          ticketId: notice.ticketId,
          ticketCategory: notice.category,
          agentId: ticket?.assigneeId ?? ticket?.ownerId ?? null,
          causeKey: `ticket_resolved:${event.id}`,
        });
      },
    });
  }

  if (config.SURVEYS_ON_TASK_FINISHED) {
    subscriptions.push({
      name: 'surveys.task-finished',
      types: [TICKET_OPENED, ORDER_CHANGED],
      handle: async (event: DomainEvent) => {
        if (event.type === TICKET_OPENED) {
          const opened = event.payload as TicketOpened;
          if (opened.by !== 'customer' || !opened.conversationId || !SELF_SERVICE_TICKETS.has(opened.category)) return;
          await surveys.schedule({
            customerId: opened.customerId,
            conversationId: opened.conversationId,
            trigger: 'task_finished',
            ticketId: opened.ticketId,
            ticketCategory: opened.category,
            causeKey: `task_finished:${event.id}`,
            notBefore: quietLater(),
          });
          return;
        }
        const changed = event.payload as OrderChanged;
        if (changed.by?.type !== 'customer') return;
        const order = await db.order.findUnique({ where: { id: changed.orderId }, select: { customerId: true } });
        if (!order) return;
        // The customer changed it in chat: the survey goes to their latest conversation.
        const conversation = await db.conversation.findFirst({ where: { customerId: order.customerId }, orderBy: { lastActivityAt: 'desc' }, select: { id: true } });
        if (!conversation) return;
        await surveys.schedule({ customerId: order.customerId, conversationId: conversation.id, trigger: 'task_finished', causeKey: `task_finished:${event.id}`, notBefore: quietLater() });
      },
    });
  }

  if (config.SURVEYS_ON_HANDOFF_ENDED) {
    subscriptions.push({
      name: 'surveys.handoff-ended',
      types: [HANDOFF_ENDED],
      handle: async (event: DomainEvent) => {
        const ended = event.payload as HandoffEnded;
        const conversation = await db.conversation.findUnique({ where: { id: ended.conversationId }, select: { customerId: true } });
        if (!conversation?.customerId) return;
        const agentId = ended.agentId ?? (typeof ended.agent === 'string' ? ended.agent : (ended.agent?.id ?? null));
        await surveys.schedule({ customerId: conversation.customerId, conversationId: ended.conversationId, trigger: 'handoff_ended', agentId, causeKey: `handoff_ended:${event.id}` });
      },
    });
  }
  return subscriptions;
}
