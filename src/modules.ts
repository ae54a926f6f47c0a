import type { CloudAdapter, ConversationState } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import type { Server } from 'restify';
import type { DialogRoute } from '../dialogs/routes';
import type { Config } from './config/config';
import type { ConversationDirectory } from './crm/conversations';
import type { CustomerService } from './crm/customers';
import type { I18n } from './i18n/i18n';
import type { Logger } from './logger';
import type { Store } from './store/db';
import type { TicketService } from './tickets/service';
import { webchatModule } from './webchat/module';
import { ticketsModule } from './tickets/module';
import { dialogsModule } from './dialogsModule';

/** What the composition root hands each feature module. */
export interface ModuleContext {
  config: Config;
  store: Store;
  logger: Logger;
  i18n: I18n;
  adapter: CloudAdapter;
  /** The restify server: modules add their HTTP routes here (before it listens). */
  server: Server;
  conversationState: ConversationState;
  directory: ConversationDirectory;
  customers: CustomerService;
  /** The bot's app id (empty for local use): needed for proactive messages. */
  botAppId: string;
  /** Services modules publish for the modules wired after them (MODULES order). */
  services: ServiceRegistry;
}

export interface ServiceRegistry {
  /** Published by the tickets module. */
  tickets?: TicketService;
}

/** A feature (tickets, web chat, handoff, surveys...): its dialogs, routes and background work. */
export interface FeatureModule {
  name: string;
  /** Dialogs added to the root dialog. */
  dialogs?: Dialog[];
  /** Intent -> dialog routes added to the root dialog's map (and menu). */
  routes?: DialogRoute[];
  /** Called after the server listens (e.g. to start scheduled jobs). */
  start?(info: { url: string }): Promise<void> | void;
  /** Called on shutdown, before the store closes. */
  stop?(): Promise<void> | void;
}

export type ModuleFactory = (ctx: ModuleContext) => FeatureModule | Promise<FeatureModule>;

/** Feature modules, in the order they are wired. Each later issue adds one line here. */
export const MODULES: ModuleFactory[] = [webchatModule, ticketsModule, dialogsModule];
