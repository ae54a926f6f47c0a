import type { DialogState } from 'botbuilder-dialogs';
import { KeywordMatcher } from '../../bot/intentRecognizer';
import { SUPPORTED_LOCALES } from '../../config/locales';
import { StateProperties } from '../../bot/stateProperties';
import { DEFAULT_CALENDAR_FILE, loadCalendarFile, WorkingCalendar } from '../../calendar/calendar';
import { ConfigError } from '../../config/schema';
import type { ScheduledJob } from '../../jobs/scheduler';
import type { Feature, Kernel } from '../feature';
import { AgentService } from './agents';
import { registerTicketApi, type CustomerCards } from './api';
import type { TicketsConfig } from './config';
import type { TicketDesk } from './desk';
import { TicketTexts } from './format';
import { TicketNotifier } from './notifications';
import { TicketService } from './service';
import { resolvePolicies, slaOverridesSchema, type SlaPolicies } from './sla';
import { runSlaWatch, SLA_ALERT, type SlaAlert } from './slaWatch';
import { TicketNumberMiddleware } from './ticketNumberMiddleware';
import { PendingReplyMiddleware } from './pendingReplyMiddleware';
import { RefundAnswer, type RefundLookup } from './refunds';
import { TicketDialogIds, TicketStatusDialog, TICKET_STATUS_INTENT } from './ticketStatusDialog';

export type { TicketDesk } from './desk';
export { COMPLAINT_TYPES, TICKET_CATEGORIES, type ComplaintType, type TicketCategory } from './types';
export { TICKET_NOTICE, TICKET_CUSTOMER_REPLIED, type CustomerNotice, type CustomerReplied } from './service';
export { SLA_ALERT, type SlaAlert } from './slaWatch';
export { TICKET_OPENED, type TicketOpened } from './types';

export interface TicketsFeature extends Feature {
  /** For other features' dialogs (complaints, returns, repairs...): tickets.open({...}). */
  tickets: TicketService;
  desk: TicketDesk;
  agents: AgentService;
  calendar: WorkingCalendar;
  notifier: TicketNotifier;
}

/** TICKETS_SLA_POLICIES, checked against the policy schema; a bad value names the key. */
export function policiesFromConfig(json: string | undefined): SlaPolicies {
  if (!json) return resolvePolicies();
  const parsed = slaOverridesSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${['TICKETS_SLA_POLICIES', ...i.path.map(String)].join('.')}: ${i.message}`));
  }
  return resolvePolicies(parsed.data);
}

export type TicketsNeeds = Pick<Kernel, 'store' | 'logger' | 'i18n' | 'messenger' | 'events' | 'conversationState' | 'timeZone' | 'clock'> & {
  config: TicketsConfig;
  standings?: CustomerCards;
  /** The customer's refunded orders (the orders feature), for "退款到账了吗". */
  refunds?: RefundLookup;
};

/** Tickets: the service, the SLA watch, the agent API, "my tickets" in chat, proactive updates. */
export function ticketsFeature(k: TicketsNeeds): TicketsFeature {
  const { config, store, i18n, timeZone } = k;
  const log = k.logger.child({ feature: 'tickets' });
  const calendar = new WorkingCalendar(loadCalendarFile(config.TICKETS_CALENDAR_FILE ?? DEFAULT_CALENDAR_FILE), timeZone, log);
  const notifier = new TicketNotifier(k.messenger, i18n, timeZone, config.TICKETS_REOPEN_WINDOW_DAYS, log);
  const tickets = new TicketService({
    slaFactorFor: valuedCustomerFactor(k, config),
    db: store.db,
    calendar,
    policies: policiesFromConfig(config.TICKETS_SLA_POLICIES),
    timeZone,
    warnRatio: config.TICKETS_SLA_WARN_RATIO,
    reopenWindowDays: config.TICKETS_REOPEN_WINDOW_DAYS,
    clock: k.clock,
    events: k.events,
  });
  k.events.subscribe(notifier.subscription);
  // SLA alerts go to the log too (the agent console shows them live: src/features/handoff/staffAlerts.ts).
  k.events.subscribe({
    name: 'tickets.sla-alert-log',
    types: [SLA_ALERT],
    handle: async (event) => {
      const alert = event.payload as SlaAlert;
      log.warn({ alert }, alert.kind === 'breach' ? 'SLA breached: ticket escalated to the supervisors' : 'SLA warning');
    },
  });
  const agents = new AgentService(store.db);
  const texts = new TicketTexts(i18n, timeZone);
  const dialogState = k.conversationState.createProperty<DialogState>(StateProperties.dialogState);

  const jobs: ScheduledJob[] = config.TICKETS_SLA_WATCH_ENABLED
    ? [{ name: 'tickets.sla-watch', schedule: config.TICKETS_SLA_WATCH_CRON, run: (now) => runSlaWatch({ store, tickets, events: k.events, batch: config.TICKETS_SLA_WATCH_BATCH, logger: log }, now) }]
    : [];

  return {
    name: 'tickets',
    tickets,
    desk: tickets,
    agents,
    calendar,
    notifier,
    jobs,
    dialogs: [new TicketStatusDialog(tickets, texts, k.refunds && new RefundAnswer(i18n, texts, k.refunds, tickets))],
    routes: [{ intent: TICKET_STATUS_INTENT, dialogId: TicketDialogIds.status, menuLabelKey: 'tickets.menu.ticketStatus' }],
    middleware: [
      new TicketNumberMiddleware(dialogState, tickets, texts),
      new PendingReplyMiddleware({ dialogState, tickets, texts, keywords: new KeywordMatcher(k.i18n, SUPPORTED_LOCALES) }),
    ],
    http: (server) => registerTicketApi({ server, tickets, agents, calendar, logger: log, standings: k.standings }),
    async banner() {
      return [
        { kind: 'link', link: 'ticketApi', path: '/api/tickets' },
        { kind: 'staffAccounts', apiAgents: await agents.countActive() },
      ];
    },
  };
}

/**
 * TICKETS_SLA_VALUED_FACTOR for a customer whose tier or value class is a valued one, else 1; nothing
 * to look up when the factor is 1 (the default).
 */
function valuedCustomerFactor(k: TicketsNeeds, config: TicketsConfig): ((customerId: string) => Promise<number>) | undefined {
  const factor = config.TICKETS_SLA_VALUED_FACTOR;
  if (factor === 1) return undefined;
  const list = (v: string) => new Set(v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean));
  const tiers = list(config.TICKETS_SLA_VALUED_TIERS);
  const classes = list(config.TICKETS_SLA_VALUED_CLASSES);
  return async (customerId) => {
    const card = k.standings ? await k.standings.card(customerId) : await k.store.db.customer.findUnique({ where: { id: customerId }, select: { tier: true } }).then((c) => c && { tier: c.tier, valueClass: null });
    if (!card) return 1;
    return tiers.has(card.tier.toLowerCase()) || (card.valueClass !== null && classes.has(card.valueClass.toLowerCase())) ? factor : 1;
  };
}
