import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, type Storage, type TurnContext } from 'botbuilder';
import { MainDialog } from '../dialogs/mainDialog';
import { KefuBot } from './bot/kefuBot';
import { KeywordMatcher, sharedRecognizer } from './bot/intentRecognizer';
import { createTurnErrorHandler } from './bot/turnErrors';
import { KefuTurnMiddleware } from './bot/turnMiddleware';
import { TurnUnderstanding } from './bot/turnUnderstanding';
import { turnInfoOrUndefined } from './bot/turnState';
import type { Config } from './config/config';
import { SUPPORTED_LOCALES } from './config/locales';
import { ConversationDirectory } from './crm/conversations';
import { CustomerService } from './crm/customers';
import { ProactiveMessenger } from './crm/proactive';
import { TranscriptService } from './crm/transcript';
import { accountFeature } from './features/account';
import { complaintsFeature } from './features/complaints';
import { faqFeature } from './features/faq';
import type { Feature, Kernel } from './features/feature';
import { humanFeature } from './features/human';
import { loyaltyFeature } from './features/loyalty';
import { ordersFeature, type OrdersFeature } from './features/orders';
import { formatYuan } from '../dialogs/format';
import { repairsFeature } from './features/repairs';
import { returnsFeature } from './features/returns';
import { ticketsFeature, type TicketsFeature } from './features/tickets';
import { webchatFeature } from './features/webchat';
import { createHttpServer, type KefuServer } from './http/server';
import { I18n } from './i18n/i18n';
import { scheduleJobs } from './jobs/scheduler';
import { createLogger, type Logger } from './logger';
import { CrmStorage } from './store/crmStorage';
import { openStore, type Store } from './store/db';
import { migrate } from './store/migrate';
import { seedIfEmpty } from './store/seed';

/** The bot's features, by name (tests and tools reach their services here). */
export interface BotFeatures {
  tickets: TicketsFeature;
  orders: OrdersFeature;
  returns: Feature;
  repairs: Feature;
  complaints: Feature;
  faq: Feature;
  loyalty: Feature;
  account: Feature;
  human: Feature;
}

/** Everything a running Kefu has: the bot's features and the channels it serves itself. */
export interface Features extends BotFeatures {
  webchat: Feature;
}

/**
 * The bot's features, wired to the kernel and to each other: each factory is given exactly what it
 * declares it needs (src/features/<name>/index.ts). Features that use another feature's service
 * come after it, which TypeScript checks.
 */
export function createBotFeatures(k: Kernel, config: Config): BotFeatures {
  const tickets = ticketsFeature({ ...k, config });
  const orders = ordersFeature({ ...k, config });
  const faqVars = {
    days: config.RETURN_WINDOW_DAYS,
    fee: formatYuan(Math.round(config.RETURN_SHIPPING_FEE_YUAN * 100)),
    gold: config.LOYALTY_GOLD_POINTS,
    diamond: config.LOYALTY_DIAMOND_POINTS,
    estimate: config.DELIVERY_ESTIMATE_DAYS,
  };
  return {
    tickets,
    orders,
    returns: returnsFeature({ ...k, config, orders: orders.orders, tickets: tickets.desk }),
    repairs: repairsFeature({ ...k, pickLimit: config.ORDER_PICK_LIMIT, orders: orders.orders, tickets: tickets.desk }),
    complaints: complaintsFeature({ ...k, tickets: tickets.desk }),
    faq: faqFeature({ ...k, vars: faqVars }),
    loyalty: loyaltyFeature({ ...k, config }),
    account: accountFeature({ ...k, tickets: tickets.desk }),
    human: humanFeature({ ...k, tickets: tickets.desk }),
  };
}

/** The root dialog over the features' dialogs and routes. */
export function createMainDialog(i18n: I18n, features: Feature[]): MainDialog {
  return new MainDialog({
    i18n,
    keywords: new KeywordMatcher(i18n, SUPPORTED_LOCALES),
    dialogs: features.flatMap((f) => f.dialogs ?? []),
    routes: features.flatMap((f) => f.routes ?? []),
  });
}

export interface App {
  config: Config;
  store: Store;
  logger: Logger;
  http: KefuServer;
  adapter: CloudAdapter;
  features: Features;
  /** The base URL the server listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Bot state storage; the CRM store when omitted (MemoryStorage only in unit tests). */
  storage?: Storage;
  logger?: Logger;
  /** The clock of the services (tests fix it); the real time when omitted. */
  clock?: () => Date;
}

/** The composition root: config -> store -> kernel services -> features -> bot -> server. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const clock = options.clock ?? (() => new Date());

  if (config.DB_MIGRATE_ON_START) {
    const result = await migrate(config.DATABASE_URL);
    if (result.applied.length) logger.info({ applied: result.applied }, 'migrations applied');
  }
  const store = await openStore(config.DATABASE_URL);
  if (config.DB_SEED_ON_START) {
    const seeded = await seedIfEmpty(store.db, { now: clock() });
    if (seeded) logger.info(seeded, 'demo data loaded into an empty store');
  }

  const i18n = new I18n();
  const directory = new ConversationDirectory(store.db);
  const transcript = new TranscriptService(store.hot);
  const customers = new CustomerService(store.db);
  const crmStorage = options.storage ? undefined : new CrmStorage(store.hot);
  const conversationState = new ConversationState(options.storage ?? crmStorage!);

  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.MicrosoftAppId,
      MicrosoftAppPassword: config.MicrosoftAppPassword,
      MicrosoftAppType: config.MicrosoftAppType,
      MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    }),
  );
  const onTurnError = createTurnErrorHandler({
    i18n,
    conversationState,
    config,
    logger,
    localeOf: (context) => turnInfoOrUndefined(context)?.locale,
  });
  adapter.onTurnError = onTurnError;
  // The state item's key as ConversationState computes it (it throws without a channel or conversation id).
  const stateKeyOf = (context: TurnContext): string | undefined => {
    try {
      return conversationState.getStorageKey(context);
    } catch {
      return undefined;
    }
  };
  adapter.use(new KefuTurnMiddleware(directory, transcript, config, logger, onTurnError, crmStorage && { storage: crmStorage, keyOf: stateKeyOf }));

  let bot: KefuBot | undefined;
  const http = createHttpServer({
    adapter,
    runTurn: async (context) => {
      if (!bot) throw new Error('bot not ready');
      await bot.run(context);
    },
    store,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
  });

  const kernel: Kernel = {
    store,
    logger,
    i18n,
    directory,
    customers,
    messenger: new ProactiveMessenger(adapter, config.MicrosoftAppId, store.db, logger, { defaultLocale: config.DEFAULT_LOCALE }),
    conversationState,
    dialogBase: { i18n, timeZone: config.TIMEZONE, signInUrl: config.SHOP_SIGN_IN_URL, clock },
    defaultLocale: config.DEFAULT_LOCALE,
    timeZone: config.TIMEZONE,
    clock,
  };
  const features: Features = { webchat: await webchatFeature({ ...kernel, config }), ...createBotFeatures(kernel, config) };
  const all: Feature[] = Object.values(features);
  for (const feature of all) {
    for (const middleware of feature.middleware ?? []) adapter.use(middleware);
    feature.http?.(http.server);
  }

  // Trained once per process (a second app in the same process reuses it); entities warmed up.
  const recognizer = await sharedRecognizer();
  bot = new KefuBot(conversationState, createMainDialog(i18n, all), new TurnUnderstanding(recognizer, config.TIMEZONE));

  await new Promise<void>((resolve) => http.server.listen(config.PORT, config.HOST, () => resolve()));
  const port = (http.server.server.address() as AddressInfo).port;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}`;
  logger.info({ url, pid: process.pid, store: store.provider, features: all.map((f) => f.name) }, 'kefu is listening');
  for (const feature of all) await feature.start?.({ url });
  const jobs = scheduleJobs(
    all.flatMap((f) => f.jobs ?? []),
    config.TIMEZONE,
    logger,
    clock,
  );

  let stopping: Promise<void> | undefined;
  return {
    config,
    store,
    logger,
    http,
    adapter,
    features,
    url,
    port,
    stop() {
      stopping ??= (async () => {
        await http.drain(config.SHUTDOWN_GRACE_MS);
        await jobs.stop();
        for (const feature of [...all].reverse()) await feature.stop?.();
        await store.close();
        logger.info('kefu stopped');
      })();
      return stopping;
    },
  };
}
