import type { ConversationState, Middleware } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import type { Server } from 'restify';
import type { DialogBase } from '../../dialogs/kefuDialog';
import type { DialogRoute } from '../../dialogs/routes';
import type { ConversationOwners } from '../bot/kefuBot';
import type { Locale } from '../config/locales';
import type { ConversationDirectory } from '../crm/conversations';
import type { CustomerService } from '../crm/customers';
import type { ConversationLifecycle } from '../crm/lifecycle';
import type { ProactiveMessenger } from '../bot/proactive';
import type { Broadcast } from '../events/broadcast';
import type { EventLog } from '../events/eventLog';
import type { I18n } from '../i18n/i18n';
import type { ScheduledJob } from '../jobs/scheduler';
import type { Staff } from '../staff';
import type { Logger } from '../logger';
import type { BannerItem } from '../startup/banner';
import type { Store } from '../store/db';

/**
 * What every feature may use, built once by the composition root (src/app.ts). A feature's factory
 * names the parts it needs (`Pick<Kernel, ...>`) plus the services of other features it uses, and
 * the root passes them: wiring is explicit and typed, with no registry and no order to get wrong.
 */
export interface Kernel {
  store: Store;
  logger: Logger;
  i18n: I18n;
  /** The customer's conversations: who is talking, their saved language, their verified shop id. */
  directory: ConversationDirectory;
  customers: CustomerService;
  /** Messages to a customer outside their own turn (ticket updates, agents' replies). */
  messenger: ProactiveMessenger;
  /** Durable domain events: record them in the transaction of the change; subscribe to them at wiring time. */
  events: EventLog;
  /** Hints to every instance (one process: in memory; several: PostgreSQL LISTEN/NOTIFY). */
  broadcast: Broadcast;
  /** Who owns each conversation (bot, queue, agent) and the moves between them. */
  lifecycle: ConversationLifecycle;
  conversationState: ConversationState;
  /** Staff sign-in: `staff.requireStaff(roles)` guards a feature's staff routes (cookie + CSRF, or bearer token). */
  staff: Staff;
  /** What every dialog needs: texts, the shop's time zone, the sign-in link, the clock. */
  dialogBase: DialogBase;
  defaultLocale: Locale;
  timeZone: string;
  clock: () => Date;
}

/**
 * A feature (src/features/<name>/index.ts): one capability with everything it brings to the bot.
 * The root adds its dialogs and routes to the root dialog, its middleware to the adapter, its HTTP
 * routes to the server and its jobs to the one scheduler, then calls start() once the server
 * listens and stop() on shutdown (in reverse order), before the store closes.
 */
export interface Feature {
  readonly name: string;
  /** Dialogs the feature's routes (or other features) start. */
  dialogs?: Dialog[];
  /** Intent -> dialog routes, with their place in the welcome menu. */
  routes?: DialogRoute[];
  /** Who answers while the bot does not own a conversation (the handoff's queue and agents). */
  owners?: ConversationOwners;
  /** Turn middleware, run after Kefu's own (who is talking, transcript) in wiring order. */
  middleware?: Middleware[];
  /** Registers the feature's HTTP routes (staff APIs, pages, channels) before the server listens. */
  http?(server: Server): void;
  /** Scheduled jobs (node-cron), run in the shop's time zone by the root's scheduler. */
  jobs?: ScheduledJob[];
  start?(info: { url: string }): Promise<void> | void;
  /** What `npm start`'s banner shows for this feature (its pages, demo and staff accounts), as data: the words are in src/startup/banner.ts. */
  banner?(): Promise<BannerItem[]> | BannerItem[];
  stop?(): Promise<void> | void;
}
