import type { WorkingCalendar } from '../../calendar/calendar';
import type { ScheduledJob } from '../../jobs/scheduler';
import { DialogIds } from '../../../dialogs/ids';
import type { Feature, Kernel } from '../feature';
import type { TicketDesk } from '../tickets';
import { registerHandoffApi } from './api';
import { registerCaseApi } from './caseApi';
import { CaseWork } from './caseWork';
import type { HandoffConfig } from './config';
import { HandoffDesk } from './desk';
import { ExternalHandoff } from './external';
import { HandoffDialog } from './handoffDialog';
import { IDLE_JOB, IdleWatch } from './idle';
import { handoffOwners } from './owners';
import { PlaceNotices } from './places';
import { HandoffQueueService, type CustomerStandingLookup } from './queue';
import { HandoffTransfers } from './transfers';
import { ConsoleBundle, registerConsolePage } from './page';
import { ConsoleSockets } from './socket';
import { staffAlerts } from './staffAlerts';
import { TypingRelay } from './typing';

export { HANDOFF_ENDED, CONSOLE_TOPIC, type HandoffEnded, type ConsoleUpdate } from './types';
export { handoffConfigSchema, type HandoffConfig } from './config';

export interface HandoffFeature extends Feature {
  queue: HandoffQueueService;
  desk: HandoffDesk;
  transfers: HandoffTransfers;
  /** Warns and ends chats whose customer stopped writing (the job handoff.idle). */
  idle: IdleWatch;
  /** Tells waiting customers who moved up (the job handoff.places, and every move of the queue). */
  places: PlaceNotices;
  /** The console's WebSocket on this instance (set once the HTTP routes are registered). */
  sockets?: ConsoleSockets;
}

export type HandoffNeeds = Pick<Kernel, 'store' | 'logger' | 'i18n' | 'messenger' | 'events' | 'broadcast' | 'lifecycle' | 'staff' | 'dialogBase' | 'defaultLocale' | 'timeZone' | 'clock'> & {
  config: HandoffConfig;
  tickets: TicketDesk;
  calendar: WorkingCalendar;
  /** The customer's value class and stage (the segments feature): queue order and case card. */
  standings?: CustomerStandingLookup;
};

/**
 * Live handoff: "talk to a person" puts the customer in a persisted queue (or, with nobody to take
 * it, opens a ticket); agents accept, chat and end in the agent console (/agent); while an agent owns
 * the conversation the bot stays silent; the end (handoff.ended) hands it back to the bot.
 */
export function handoffFeature(k: HandoffNeeds): HandoffFeature {
  const { config, store, clock } = k;
  const db = store.db;
  const queue = new HandoffQueueService({ db, lifecycle: k.lifecycle, broadcast: k.broadcast, calendar: k.calendar, config, clock, standings: k.standings });
  const log = k.logger.child({ feature: 'handoff' });
  const places = new PlaceNotices({ db, queue, messenger: k.messenger, i18n: k.i18n, logger: log, clock });
  const desk = new HandoffDesk({ db, queue, lifecycle: k.lifecycle, events: k.events, messenger: k.messenger, i18n: k.i18n, tickets: k.tickets, calendar: k.calendar, config, timeZone: k.timeZone, clock, places });
  const transfers = new HandoffTransfers({ db, desk, queue, lifecycle: k.lifecycle, messenger: k.messenger, i18n: k.i18n, clock });
  const external = config.HANDOFF_MODE === 'external' ? new ExternalHandoff({ db, queue, lifecycle: k.lifecycle, clock }) : undefined;
  const idle = new IdleWatch({ db, desk, config });
  const work = new CaseWork({ db, desk, queue, tickets: k.tickets });
  const typing = new TypingRelay({ db, broadcast: k.broadcast, queue, desk, messenger: k.messenger });
  const jobs: ScheduledJob[] =
    config.HANDOFF_MODE === 'builtin'
      ? [
          {
            name: 'handoff.max-wait',
            schedule: '* * * * *',
            run: async (now) => {
              const expired = await desk.expireWaits(now);
              if (expired) log.info({ expired }, 'queued requests past HANDOFF_MAX_WAIT_MINUTES became tickets');
            },
          },
          {
            name: 'handoff.places',
            schedule: '* * * * *',
            run: (now) => places.tellMoves(now),
          },
          {
            name: IDLE_JOB,
            schedule: '* * * * *',
            run: async (now) => {
              const done = await idle.run(now);
              if (done && (done.warned || done.ended)) log.info(done, 'idle customers in live chats warned or their chats ended');
            },
          },
        ]
      : [];
  k.events.subscribe(staffAlerts(k.broadcast));
  const bundle = new ConsoleBundle(log);
  const feature: HandoffFeature = {
    name: 'handoff',
    queue,
    desk,
    transfers,
    idle,
    places,
    jobs,
    dialogs: [new HandoffDialog(k.dialogBase, { queue, desk, tickets: k.tickets, external })],
    routes: [{ intent: 'human_agent', dialogId: DialogIds.human, menuLabelKey: 'messages.menu.human', menuOrder: 90 }],
    owners: handoffOwners({ db, i18n: k.i18n, queue, desk, typing, places, clock }),
    middleware: external ? [external.statusMiddleware] : [],
    http: (server) => {
      registerHandoffApi(server, { db, staff: k.staff, queue, desk, transfers, typing, work, i18n: k.i18n, config, clock });
      registerCaseApi(server, { staff: k.staff, work });
      registerConsolePage(server, { staff: k.staff, i18n: k.i18n, bundle, defaultLocale: k.defaultLocale, logger: log });
      feature.sockets = new ConsoleSockets({ server, staff: k.staff, broadcast: k.broadcast, db, logger: log, typing });
    },
    // The console's script is bundled once per process, when the first console asks for it (about a second).
    start: () => {
      typing.start();
      feature.sockets?.start();
    },
    stop: () => {
      typing.stop();
      feature.sockets?.stop();
    },
    banner: () => [{ kind: 'link', link: 'agentConsole', path: '/agent' }],
  };
  return feature;
}
