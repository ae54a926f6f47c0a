import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { KefuBot } from './bot/kefuBot';
import { KeywordMatcher, sharedRecognizer } from './bot/intentRecognizer';
import { createTurnErrorHandler } from './bot/turnErrors';
import { KefuTurnMiddleware } from './bot/turnMiddleware';
import { TurnUnderstanding } from './bot/turnUnderstanding';
import { turnInfoOrUndefined } from './bot/turnState';
import { SUPPORTED_LOCALES, type Config } from './config/config';
import { ConversationDirectory } from './crm/conversations';
import { CustomerService } from './crm/customers';
import { TranscriptService } from './crm/transcript';
import { createHttpServer, type KefuServer } from './http/server';
import { I18n } from './i18n/i18n';
import { createLogger, type Logger } from './logger';
import { openStore, type Store } from './store/db';
import { migrate } from './store/migrate';
import { CrmStorage } from './store/crmStorage';
import { seedIfEmpty } from './store/seed';
import { LanguageDialog } from '../dialogs/languageDialog';
import { MainDialog } from '../dialogs/mainDialog';
import { ROUTES } from '../dialogs/routes';
import { MODULES, type FeatureModule, type ModuleContext, type ModuleFactory } from './modules';

export interface App {
  config: Config;
  store: Store;
  logger: Logger;
  http: KefuServer;
  adapter: CloudAdapter;
  /** The base URL the server listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Bot state storage; the CRM store when omitted (MemoryStorage only in unit tests). */
  storage?: Storage;
  logger?: Logger;
  /** Feature modules to wire; all of src/modules.ts when omitted. */
  modules?: ModuleFactory[];
}

/** The composition root: config -> store -> services -> dialogs -> bot -> server. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);

  if (config.DB_MIGRATE_ON_START) {
    const result = await migrate(config.DATABASE_URL);
    if (result.applied.length) logger.info({ applied: result.applied }, 'migrations applied');
  }
  const store = await openStore(config.DATABASE_URL);
  if (config.DB_SEED_ON_START) {
    const seeded = await seedIfEmpty(store.db, { now: new Date() });
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

  const moduleContext: ModuleContext = {
    config,
    store,
    logger,
    i18n,
    adapter,
    server: http.server,
    conversationState,
    directory,
    customers,
    botAppId: config.MicrosoftAppId,
    services: {},
  };
  const modules: FeatureModule[] = [];
  for (const factory of options.modules ?? MODULES) modules.push(await factory(moduleContext));

  // Trained once per process (a second app in the same process reuses it); entities warmed up.
  const recognizer = await sharedRecognizer();
  const mainDialog = new MainDialog({
    i18n,
    keywords: new KeywordMatcher(i18n, SUPPORTED_LOCALES),
    dialogs: [
      new LanguageDialog(i18n, customers, (_customerId, locale) => directory.setCustomerLocaleForCustomer(_customerId, locale)),
      ...modules.flatMap((m) => m.dialogs ?? []),
    ],
    routes: [...ROUTES, ...modules.flatMap((m) => m.routes ?? [])],
  });
  bot = new KefuBot(conversationState, mainDialog, new TurnUnderstanding(recognizer, config.TIMEZONE));

  await new Promise<void>((resolve) => http.server.listen(config.PORT, config.HOST, () => resolve()));
  const port = (http.server.server.address() as AddressInfo).port;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}`;
  logger.info({ url, pid: process.pid, store: store.provider, modules: modules.map((m) => m.name) }, 'kefu is listening');
  for (const m of modules) await m.start?.({ url });

  let stopping: Promise<void> | undefined;
  return {
    config,
    store,
    logger,
    http,
    adapter,
    url,
    port,
    stop() {
      stopping ??= (async () => {
        await http.drain(config.SHUTDOWN_GRACE_MS);
        for (const m of [...modules].reverse()) await m.stop?.();
        await store.close();
        logger.info('kefu stopped');
      })();
      return stopping;
    },
  };
}
