import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConversationState, type Storage, type TurnContext } from 'botbuilder';
import { CachingBotFrameworkAuthentication } from './bot/connectorCache';
import { MainDialog } from '../dialogs/mainDialog';
import { KefuBot, type ConversationOwners } from './bot/kefuBot';
import { KeywordMatcher, sharedRecognizer } from './bot/intentRecognizer';
import { createTurnErrorHandler } from './bot/turnErrors';
import { KefuTurnMiddleware } from './bot/turnMiddleware';
import { TurnUnderstanding } from './bot/turnUnderstanding';
import { turnInfoOrUndefined } from './bot/turnState';
import type { Config } from './config/config';
import { SUPPORTED_LOCALES } from './config/locales';
import { ConversationDirectory } from './crm/conversations';
import { LocalBroadcast, PgBroadcast, RedisBroadcast, type Broadcast } from './events/broadcast';
import { EventDispatcher } from './events/dispatcher';
import { EventLog } from './events/eventLog';
import { CustomerService } from './crm/customers';
import { ConversationLifecycle } from './crm/lifecycle';
import { ProactiveMessenger } from './bot/proactive';
import { TranscriptService } from './crm/transcript';
import { accountFeature } from './features/account';
import { complaintsFeature } from './features/complaints';
import { faqFeature } from './features/faq';
import type { Feature, Kernel } from './features/feature';
import { handoffFeature, type HandoffFeature } from './features/handoff';
import { loyaltyFeature, type LoyaltyFeature } from './features/loyalty';
import { ordersFeature, type OrdersFeature } from './features/orders';
import { privacyFeature, type PrivacyFeature } from './features/privacy';
import { formatYuan } from '../dialogs/format';
import { repairsFeature } from './features/repairs';
import { returnsFeature } from './features/returns';
import { dashboardFeature, type DashboardFeature } from './features/dashboard';
import { segmentsFeature, type SegmentsFeature } from './features/segments';
import { shopFeature, type ShopFeature } from './features/shop';
import { surveysFeature, type SurveysFeature } from './features/surveys';
import { ticketsFeature, type TicketsFeature } from './features/tickets';
import { webchatFeature } from './features/webchat';
import { connectLimitsRedis, RateLimits } from './http/limits';
import { createHttpServer, type KefuServer } from './http/server';
import { ServiceUrlPolicy } from './http/serviceUrls';
import { I18n } from './i18n/i18n';
import { scheduleJobs } from './jobs/scheduler';
import { createLogger, type Logger } from './logger';
import { BotStateStorage } from './store/botStateStorage';
import { pgConnectionFields } from './store/connection';
import { openStore, type Store } from './store/db';
import { migrate } from './store/migrate';
import { seedDemoShop } from './features/shop/demoSeed';
import { createStaff, type Staff } from './staff';
import { DEMO_STAFF_PASSWORD, demoStaffPresent, seedDemoStaff } from './staff/demo';
import { listenStartError, storeStartError } from './startup/startErrors';
import { KERNEL_BANNER_ITEMS, renderBanner } from './startup/banner';
import { openWhenReachable } from './startup/storeWait';
import { cipherFromConfig, resealAll, SEALING_MIGRATION } from './features/privacy';
import type { FieldCipher } from './store/fieldCrypto';

/** The bot's features, by name (tests and tools reach their services here). */
export interface BotFeatures {
  tickets: TicketsFeature;
  orders: OrdersFeature;
  returns: Feature;
  repairs: Feature;
  complaints: Feature;
  faq: Feature;
  loyalty: LoyaltyFeature;
  account: Feature;
  handoff: HandoffFeature;
  surveys: SurveysFeature;
  shop: ShopFeature;
  privacy: PrivacyFeature;
  segments: SegmentsFeature;
}

/** Everything a running Kefu has: the bot's features and the channels it serves itself. */
export interface Features extends BotFeatures {
  webchat: Feature;
  dashboard: DashboardFeature;
}

/**
 * The bot's features, wired to the kernel and to each other: each factory is given exactly what it
 * declares it needs (src/features/<name>/index.ts). Features that use another feature's service
 * come after it, which TypeScript checks.
 */
export function createBotFeatures(k: Kernel, config: Config): BotFeatures {
  // First: the tickets and the handoff show the customer's value class and stage.
  const segments = segmentsFeature({ ...k, config, followUpBySurvey: config.SURVEYS_ENABLED && config.SURVEYS_ON_FOLLOWUP_VISIT });
  const orders = ordersFeature({ ...k, config });
  const tickets = ticketsFeature({ ...k, config, standings: segments.standings, refunds: orders.orders });
  const faqVars = {
    open: tickets.calendar.businessHours.start,
    close: tickets.calendar.businessHours.end,
    days: config.RETURN_WINDOW_DAYS,
    fee: formatYuan(Math.round(config.RETURN_SHIPPING_FEE_YUAN * 100)),
    gold: config.LOYALTY_GOLD_POINTS,
    diamond: config.LOYALTY_DIAMOND_POINTS,
    estimate: config.DELIVERY_ESTIMATE_DAYS,
  };
  const loyalty = loyaltyFeature({ ...k, config, agents: tickets.agents });
  const privacy = privacyFeature({ ...k, config, calendar: tickets.calendar });
  return {
    tickets,
    orders,
    returns: returnsFeature({ ...k, config, orders: orders.orders, tickets: tickets.desk }),
    repairs: repairsFeature({ ...k, pickLimit: config.ORDER_PICK_LIMIT, orders: orders.orders, tickets: tickets.desk }),
    complaints: complaintsFeature({ ...k, tickets: tickets.desk }),
    faq: faqFeature({ ...k, vars: faqVars }),
    loyalty,
    account: accountFeature({ ...k, rights: privacy.rights }),
    privacy,
    // Before the surveys: a reply to a care message ("不要再发了") is the care message's, not a survey's.
    segments,
    handoff: handoffFeature({ ...k, config, tickets: tickets.desk, calendar: tickets.calendar, standings: segments.standings }),
    surveys: surveysFeature({ ...k, config, tickets: tickets.tickets, followUpDays: config.CARE_FOLLOWUP_DAYS }),
    shop: shopFeature({
      ...k,
      config,
      // Points are earned on delivery and taken back on refunds, in the shop event's transaction.
      hooks: {
        delivered: (tx, orders, now) => loyalty.ledger.earnForDeliveries(tx, orders, now),
        refunded: (tx, order, amount, eventId, now) => loyalty.ledger.reverseForRefund(tx, order, amount, eventId, now),
      },
    }),
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
  events: EventLog;
  /** Delivers recorded events (tests run it by hand with runUntilIdle()). */
  dispatcher: EventDispatcher;
  logger: Logger;
  http: KefuServer;
  adapter: CloudAdapter;
  features: Features;
  /** Staff sign-in and its guard (tests and tools create accounts here). */
  staff: Staff;
  /** The base URL the server listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  /** The start banner's lines (src/startup/banner.ts): the URLs, the demo and staff accounts, where the data lives. */
  banner(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Bot state storage; the CRM store when omitted (MemoryStorage only in unit tests). */
  storage?: Storage;
  logger?: Logger;
  /** The clock of the services (tests fix it); the real time when omitted. */
  clock?: () => Date;
  /** How DB_SEED_ON_START loads the demo shop: 'events' (default) or 'rows' (the tests' quick load; src/features/shop/demoSeed.ts). */
  demoSeed?: 'events' | 'rows';
}

/** The composition root: config -> store -> kernel services -> features -> bot -> server. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const clock = options.clock ?? (() => new Date());

  const cipher = cipherFromConfig(config);
  if (cipher.ring.development && config.LOG_LEVEL !== 'silent') logger.warn('personal data is sealed with the public DEVELOPMENT key: set KEFU_DATA_KEYS and KEFU_INDEX_KEY in production');
  const store = await openWhenReachable(() => openStoreForStart(config, logger, clock, cipher), { waitSeconds: config.DB_START_WAIT_SECONDS, logger });
  try {
    return await startOnStore(config, options, { logger, clock, store });
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}

/** Migrations and the store; a failure an operator can fix becomes a StartError. (The demo shop comes after the features.) */
async function openStoreForStart(config: Config, logger: Logger, clock: () => Date, cipher: FieldCipher): Promise<Store> {
  let store: Store | undefined;
  try {
    let appliedSealing = false;
    if (config.DB_MIGRATE_ON_START) {
      const result = await migrate(config.DATABASE_URL);
      if (result.applied.length) logger.info({ applied: result.applied }, 'migrations applied');
      appliedSealing = result.applied.some((name) => name.endsWith(SEALING_MIGRATION));
    }
    store = await openStore(config.DATABASE_URL, { cipher, onConnectionError: (err) => logger.warn({ err }, 'a PostgreSQL connection failed; the pool replaces it') });
    // The migration that brought sealed fields seals the rows stored before it, once (resumable: npm run data:encrypt).
    if (appliedSealing) logger.info({ rewritten: await resealAll(store) }, 'personal data sealed at rest');
    return store;
  } catch (err) {
    await store?.close().catch(() => undefined);
    throw storeStartError(err, config.DATABASE_URL) ?? err;
  }
}

async function startOnStore(config: Config, options: StartOptions, { logger, clock, store }: { logger: Logger; clock: () => Date; store: Store }): Promise<App> {

  const broadcast: Broadcast = config.REDIS_URL
    ? await RedisBroadcast.start(config.REDIS_URL, (err) => logger.warn({ err }, 'broadcast: Redis failed; reconnecting'))
    : store.provider === 'postgresql'
      ? await PgBroadcast.start(
          pgConnectionFields(config.DATABASE_URL),
          async (payload) => {
            await store.db.$queryRawUnsafe(`SELECT pg_notify('kefu', $1)::text AS "sent"`, payload);
          },
          (err) => logger.warn({ err }, 'broadcast: the listening connection failed; reconnecting'),
        )
      : new LocalBroadcast();
  // SQLite (one process): a recorded event wakes the dispatcher at once; its claim waits for the
  // connection, so it runs after the commit. PostgreSQL: pg_notify wakes every instance at commit.
  let dispatcher: EventDispatcher | undefined;
  const events = new EventLog(store.provider, () => setImmediate(() => dispatcher?.wake()), broadcast instanceof PgBroadcast);
  dispatcher = new EventDispatcher(
    { db: store.db, provider: store.provider, events, broadcast, logger: logger.child({ component: 'events' }) },
    { pollMs: config.EVENTS_POLL_MS, maxAttempts: config.EVENTS_MAX_ATTEMPTS },
  );

  const i18n = new I18n();
  // Several instances share their rate limits through Redis when it is configured, else PostgreSQL (on SQLite, one counts alone in memory).
  const limitsRedis = config.REDIS_URL ? await connectLimitsRedis(config.REDIS_URL, logger) : undefined;
  const directory = new ConversationDirectory(store.db);
  const transcript = new TranscriptService(store.turns);
  const customers = new CustomerService(store.db, events);
  const stateStorage = options.storage ? undefined : new BotStateStorage(store.turns);
  const conversationState = new ConversationState(options.storage ?? stateStorage!);

  const adapter = new CloudAdapter(
    new CachingBotFrameworkAuthentication({
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
  adapter.use(new KefuTurnMiddleware(directory, transcript, config, logger, onTurnError, stateStorage && { storage: stateStorage, keyOf: stateKeyOf }, clock));

  let bot: KefuBot | undefined;
  const serviceUrls = config.MicrosoftAppId ? undefined : new ServiceUrlPolicy(config.BOT_SERVICE_URLS);
  serviceUrls?.addOwn(config.WEBCHAT_PUBLIC_URL);
  const http = createHttpServer({
    serviceUrls,
    adapter,
    runTurn: async (context) => {
      if (!bot) throw new Error('bot not ready');
      await bot.run(context);
    },
    store,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    limits: new RateLimits(
      {
        tokensPerMinute: config.RATE_LIMIT_TOKENS_PER_MINUTE,
        uploadsPerMinute: config.RATE_LIMIT_UPLOADS_PER_MINUTE,
        messagesPerMinute: config.RATE_LIMIT_MESSAGES_PER_MINUTE,
        maxChannelDataBytes: config.MAX_CHANNEL_DATA_BYTES,
        maxAttachments: config.MAX_ATTACHMENTS,
        trustProxyHops: config.TRUST_PROXY_HOPS,
        prefix: config.RATE_LIMIT_PREFIX,
        defaultLocale: config.DEFAULT_LOCALE,
      },
      i18n,
      logger,
      limitsRedis ? { redis: limitsRedis } : store.pool && { pool: store.pool },
    ),
  });

  const kernel: Kernel = {
    store,
    logger,
    i18n,
    directory,
    customers,
    messenger: new ProactiveMessenger(adapter, config.MicrosoftAppId, store.db, logger, { defaultLocale: config.DEFAULT_LOCALE, provider: store.provider }),
    events,
    broadcast,
    lifecycle: new ConversationLifecycle(store.db, events, clock),
    conversationState,
    staff: createStaff({ db: store.db, i18n, logger, clock, defaultLocale: config.DEFAULT_LOCALE, config }),
    dialogBase: { i18n, timeZone: config.TIMEZONE, signInUrl: config.SHOP_SIGN_IN_URL, clock },
    defaultLocale: config.DEFAULT_LOCALE,
    timeZone: config.TIMEZONE,
    clock,
  };
  const webchat = await webchatFeature({ ...kernel, config });
  const bots = createBotFeatures(kernel, config);
  const features: Features = {
    webchat,
    ...bots,
    dashboard: dashboardFeature({ ...kernel, lowScore: config.SURVEYS_LOW_SCORE, segments: bots.segments.figures }),
  };
  const all: Feature[] = Object.values(features);
  kernel.staff.http(http.server);
  if (config.DB_SEED_ON_START) {
    const seeded = await seedDemoShop(options.demoSeed ?? 'events', { db: store.db, ingest: bots.shop.ingest, opening: (id, points) => bots.loyalty.ledger.opening(id, points) }, { now: clock() });
    if (seeded) logger.info(seeded.summary, seeded.message);
    // Two instances starting together on an empty store may both try: the second's conflict is harmless.
    const created = await seedDemoStaff(store.db, kernel.staff.accounts).catch((err: unknown) => {
      logger.warn({ err }, 'demo staff accounts not created');
      return 0;
    });
    if (created) logger.info({ created }, 'demo staff accounts created (agent, supervisor, manager)');
  }
  for (const feature of all) {
    for (const middleware of feature.middleware ?? []) adapter.use(middleware);
    feature.http?.(http.server);
  }

  // Trained once per process (a second app in the same process reuses it); entities warmed up.
  const recognizer = await sharedRecognizer();
  const owners = Object.assign({}, ...all.map((f) => f.owners ?? {})) as ConversationOwners;
  bot = new KefuBot(conversationState, createMainDialog(i18n, all), new TurnUnderstanding(recognizer, config.TIMEZONE), { lifecycle: kernel.lifecycle, owners });

  try {
    await new Promise<void>((resolve, reject) => {
      // restify re-emits the listener's errors on its own server, which throws them when nobody listens.
      http.server.once('error', reject);
      http.server.listen(config.PORT, config.HOST, () => {
        http.server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    for (const feature of [...all].reverse()) await feature.stop?.();
    throw listenStartError(err, config.HOST, config.PORT) ?? err;
  }
  const port = (http.server.server.address() as AddressInfo).port;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}`;
  serviceUrls?.addOwn(url);
  logger.info({ url, pid: process.pid, store: store.provider, features: all.map((f) => f.name) }, 'kefu is listening');
  for (const feature of all) await feature.start?.({ url });
  if (config.EVENTS_DISPATCH_ENABLED) dispatcher.start();
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
    events,
    dispatcher,
    features,
    staff: kernel.staff,
    url,
    port,
    async banner() {
      const items = (await Promise.all(all.map(async (f) => (await f.banner?.()) ?? []))).flat();
      const demoStaff = config.DB_SEED_ON_START ? await demoStaffPresent(store.db) : [];
      return renderBanner([...items, { kind: 'demoStaff', logins: demoStaff, password: DEMO_STAFF_PASSWORD }, ...KERNEL_BANNER_ITEMS], {
        url,
        databaseUrl: config.DATABASE_URL,
        now: clock(),
        returnWindowDays: config.RETURN_WINDOW_DAYS,
      });
    },
    stop() {
      stopping ??= (async () => {
        await http.drain(config.SHUTDOWN_GRACE_MS);
        await jobs.stop();
        await dispatcher.stop();
        for (const feature of [...all].reverse()) await feature.stop?.();
        await broadcast.close();
        limitsRedis?.disconnect();
        await store.close();
        logger.info('kefu stopped');
      })();
      return stopping;
    },
  };
}
