import type { Broadcast } from '../../events/broadcast';
import type { Subscription } from '../../events/eventLog';
import { SHOP_WEBHOOK_DEAD, type ShopWebhookDead } from '../shop';
import { SLA_ALERT, TICKET_CUSTOMER_REPLIED, type CustomerReplied, type SlaAlert } from '../tickets';
import { CONSOLE_TOPIC, type ConsoleUpdate } from './types';

/**
 * Ticket alerts on the agent console, live: an SLA warning or breach, and a customer's answer to a
 * ticket that waited on them. Each goes to the agent it concerns (supervisors see every alert); one
 * for nobody in particular (an unassigned ticket, the supervisors' queue) to the supervisors. And a
 * webhook the shop never took (given up after EVENTS_MAX_ATTEMPTS), to the supervisors, who can send
 * it again on /staff/webhooks.
 */
export function staffAlerts(broadcast: Broadcast): Subscription {
  const publish = (update: ConsoleUpdate) => broadcast.publish(CONSOLE_TOPIC, JSON.stringify(update));
  return {
    name: 'handoff.console-alerts',
    types: [SLA_ALERT, TICKET_CUSTOMER_REPLIED, SHOP_WEBHOOK_DEAD],
    handle: async (event) => {
      if (event.type === SLA_ALERT) {
        const alert = event.payload as SlaAlert;
        const agentId = alert.recipient.type === 'agent' ? alert.recipient.id : null;
        await publish({ kind: 'alert', agentId, toSupervisors: agentId === null, alert: { kind: alert.kind === 'breach' ? 'sla_breach' : 'sla_warning', number: alert.number } });
      } else if (event.type === SHOP_WEBHOOK_DEAD) {
        const dead = event.payload as ShopWebhookDead;
        const about = dead.orderNumber ?? dead.ticketNumber ?? dead.customerId ?? dead.eventId;
        await publish({ kind: 'alert', agentId: null, toSupervisors: true, alert: { kind: 'webhook_dead', number: about, text: dead.type } });
      } else {
        const reply = event.payload as CustomerReplied;
        await publish({ kind: 'alert', agentId: reply.agentId, toSupervisors: reply.agentId === null, alert: { kind: 'customer_replied', number: reply.number, text: reply.text.slice(0, 200) } });
      }
    },
  };
}
