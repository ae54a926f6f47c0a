import type { DialogState } from 'botbuilder-dialogs';
import { StateProperties } from '../../dialogs/ids';
import { TicketDialogIds, TicketStatusDialog, TICKET_STATUS_INTENT } from '../../dialogs/ticketStatusDialog';
import { ConfigError } from '../config/config';
import { ProactiveMessenger } from '../crm/proactive';
import type { FeatureModule, ModuleContext } from '../modules';
import { AgentService } from './agents';
import { registerTicketApi } from './api';
import { DEFAULT_CALENDAR_FILE, loadCalendarFile, WorkingCalendar } from './calendar';
import { TicketTexts } from './format';
import { scheduleJobs, type RunningJobs, type ScheduledJob } from './jobs';
import { TicketNotifier } from './notifications';
import { TicketService } from './service';
import { resolvePolicies, slaOverridesSchema, type SlaPolicies } from './sla';
import { runSlaWatch, type SlaAlert } from './slaWatch';
import { TicketNumberMiddleware } from './ticketNumberMiddleware';

export interface TicketsModule extends FeatureModule {
  /** For other features' dialogs (e.g. complaints, returns): tickets.open({...}). */
  tickets: TicketService;
  agents: AgentService;
  notifier: TicketNotifier;
  jobs: ScheduledJob[];
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

/** The tickets feature: service, SLA watch, agent API, "my tickets" in chat, proactive updates. */
export function ticketsModule(ctx: ModuleContext): TicketsModule {
  const { config, store, logger, i18n } = ctx;
  const log = logger.child({ module: 'tickets' });
  const calendar = new WorkingCalendar(loadCalendarFile(config.TICKETS_CALENDAR_FILE ?? DEFAULT_CALENDAR_FILE), config.TIMEZONE);
  const messenger = new ProactiveMessenger(ctx.adapter, ctx.botAppId, store.db, log, { defaultLocale: config.DEFAULT_LOCALE });
  const notifier = new TicketNotifier(messenger, i18n, config.TIMEZONE, config.TICKETS_REOPEN_WINDOW_DAYS, log);
  const tickets = new TicketService({
    db: store.db,
    calendar,
    policies: policiesFromConfig(config.TICKETS_SLA_POLICIES),
    timeZone: config.TIMEZONE,
    warnRatio: config.TICKETS_SLA_WARN_RATIO,
    reopenWindowDays: config.TICKETS_REOPEN_WINDOW_DAYS,
    onNotice: (notice) => notifier.enqueue(notice),
  });
  ctx.services.tickets = tickets;
  const agents = new AgentService(store.db);
  const texts = new TicketTexts(i18n, config.TIMEZONE);

  registerTicketApi({ server: ctx.server, tickets, agents, calendar, logger: log });
  ctx.adapter.use(new TicketNumberMiddleware(ctx.conversationState.createProperty<DialogState>(StateProperties.dialogState), tickets, texts));

  const onAlert = (alert: SlaAlert) => log.warn({ alert }, alert.kind === 'breach' ? 'SLA breached: ticket escalated to the supervisors' : 'SLA warning');
  const jobs: ScheduledJob[] = [
    { name: 'tickets.sla-watch', schedule: config.TICKETS_SLA_WATCH_CRON, run: (now) => runSlaWatch({ store, tickets, batch: config.TICKETS_SLA_WATCH_BATCH, logger: log, onAlert }, now) },
  ];
  let running: RunningJobs | undefined;

  return {
    name: 'tickets',
    tickets,
    agents,
    notifier,
    jobs,
    dialogs: [new TicketStatusDialog(tickets, texts)],
    routes: [{ intent: TICKET_STATUS_INTENT, dialogId: TicketDialogIds.status, menuLabelKey: 'tickets.menu.ticketStatus' }],
    start() {
      if (config.TICKETS_SLA_WATCH_ENABLED) running = scheduleJobs(jobs, config.TIMEZONE, log);
    },
    async stop() {
      await running?.stop();
      await notifier.drain();
    },
  };
}
