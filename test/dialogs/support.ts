import crypto from 'node:crypto';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { StateProperties } from '../../src/bot/stateProperties';
import type { MainDialog } from '../../dialogs/mainDialog';
import type { DialogRoute } from '../../dialogs/routes';
import { createBotFeatures, createMainDialog, type BotFeatures } from '../../src/app';
import { sharedRecognizer } from '../../src/bot/intentRecognizer';
import { setTurnInfo } from '../../src/bot/turnState';
import { TurnUnderstanding, type ConversationMemory } from '../../src/bot/turnUnderstanding';
import type { Locale } from '../../src/config/locales';
import { loadConfig } from '../../src/config/config';
import { ConversationDirectory } from '../../src/crm/conversations';
import { CustomerService } from '../../src/crm/customers';
import { ConversationLifecycle } from '../../src/crm/lifecycle';
import { ProactiveMessenger } from '../../src/bot/proactive';
import { LocalBroadcast } from '../../src/events/broadcast';
import { EventLog } from '../../src/events/eventLog';
import { I18n } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';
import type { Provider, Store } from '../../src/store/db';
import { seed } from '../../src/store/seed';
import type { TicketService } from '../../src/features/tickets/service';
import { openTestStore } from '../support/db';
import { TestClock, sh } from '../tickets/support';

export const LOCALES: Locale[] = ['zh-CN', 'en-US'];
/** The fixed "now" of the dialog tests: Thursday 2026-11-26 10:00 in Shanghai (a working day). */
export const NOW = sh('2026-11-26T10:00:00');
export const TZ = 'Asia/Shanghai';
export const config = loadConfig({ DATABASE_URL: 'file:./unused.db' });
export const i18n = new I18n();

/** A seeded store, the ticket service and the root dialog with every first-line dialog, on a fixed clock. */
export class DialogEnv {
  store!: Store;
  tickets!: TicketService;
  features!: BotFeatures;
  main!: MainDialog;
  understanding!: TurnUnderstanding;
  readonly clock = new TestClock(NOW);
  private closeStore: () => Promise<void> = async () => undefined;

  constructor(readonly provider: Provider = 'sqlite') {}

  async start(): Promise<this> {
    const opened = await openTestStore(this.provider, 'dialogs');
    this.store = opened.store;
    this.closeStore = opened.close;
    await seed(this.store.db, { now: NOW });
    const db = this.store.db;
    const logger = createLogger('silent');
    const clock = this.clock.now;
    // The bot's features as the app wires them, on a fixed clock; proactive messages go nowhere (no channel).
    const noChannel = { continueConversationAsync: async () => undefined };
    const events = new EventLog(this.provider);
    this.features = createBotFeatures(
      {
        store: this.store,
        logger,
        i18n,
        directory: new ConversationDirectory(db),
        customers: new CustomerService(db, events),
        messenger: new ProactiveMessenger(noChannel, '', db, logger),
        events,
        broadcast: new LocalBroadcast(),
        lifecycle: new ConversationLifecycle(db, events, clock),
        conversationState: new ConversationState(new MemoryStorage()),
        dialogBase: { i18n, timeZone: TZ, signInUrl: config.SHOP_SIGN_IN_URL, clock },
        defaultLocale: 'zh-CN',
        timeZone: TZ,
        clock,
      },
      config,
    );
    this.tickets = this.features.tickets.tickets;
    this.main = createMainDialog(i18n, Object.values(this.features));
    this.understanding = new TurnUnderstanding(await sharedRecognizer(), TZ, this.clock.now);
    return this;
  }

  async stop(): Promise<void> {
    await this.closeStore();
  }

  /** Every route of the root dialog. */
  get routes(): DialogRoute[] {
    return Object.values(this.features).flatMap((f) => f.routes ?? []);
  }

  get db() {
    return this.store.db;
  }

  /** A chat with a customer (a demo customer's id, or a new anonymous one). */
  async chat(options: { customerId?: string; verified?: boolean; locale: Locale }): Promise<Chat> {
    const verified = options.verified ?? true;
    // A new customer of their own unless given: signed in (a shop id) when verified, anonymous otherwise.
    const externalId = verified ? `T-${crypto.randomBytes(6).toString('hex')}` : null;
    const customerId = options.customerId ?? (await this.db.customer.create({ data: { name: 'Test customer', externalId } })).id;
    const conversation = await this.db.conversation.create({
      data: { channelId: 'test', channelConversationId: `dialogs-${crypto.randomBytes(6).toString('hex')}`, customerId, reference: {} },
    });
    return new Chat(this, { customerId, conversationId: conversation.id, verified, locale: options.locale });
  }
}

/**
 * One conversation through the real root dialog on a TestAdapter: each say() runs a whole turn
 * (turn info as the middleware would set it, understanding, dialogs, state saved) and returns the
 * replies of that turn. No timeouts: a turn's replies are all there when say() resolves.
 */
export class Chat {
  readonly adapter: TestAdapter;
  private readonly state = new ConversationState(new MemoryStorage());
  private readonly dialogState = this.state.createProperty<DialogState>(StateProperties.dialogState);
  private readonly memory = this.state.createProperty<ConversationMemory>(StateProperties.conversation);

  constructor(
    private readonly env: DialogEnv,
    readonly who: { customerId: string; conversationId: string; verified: boolean; locale: Locale },
  ) {
    this.adapter = new TestAdapter(async (context) => this.turn(context));
  }

  private async turn(context: TurnContext): Promise<void> {
    setTurnInfo(context, { ...this.who, savedLocale: null, owner: { status: 'BOT', agentId: null, queue: null }, logger: createLogger('silent') });
    await this.env.understanding.understand(context, this.memory);
    if (context.activity.type === ActivityTypes.Message) await this.env.main.run(context, this.dialogState, this.memory);
    await this.env.understanding.remember(context, this.memory);
    await this.state.saveChanges(context, false);
  }

  /** Sends a message (text or a whole activity, e.g. with attachments) and returns the bot's replies. */
  async say(input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
    const activity: Partial<Activity> = typeof input === 'string' ? { type: ActivityTypes.Message, text: input } : { type: ActivityTypes.Message, ...input };
    this.adapter.activeQueue.splice(0);
    await this.adapter.receiveActivity(activity);
    return this.adapter.activeQueue.splice(0);
  }

  /** The texts of the replies. */
  async texts(input: string | Partial<Activity>): Promise<string[]> {
    return (await this.say(input)).map((a) => a.text ?? '');
  }

  /** The one reply's text (fails when the bot answered with more or fewer messages). */
  async reply(input: string | Partial<Activity>): Promise<string> {
    const texts = await this.texts(input);
    expect(texts).toHaveLength(1);
    return texts[0];
  }
}

/** The button titles of a reply. */
export function buttons(activity: Partial<Activity> | undefined): string[] {
  return (activity?.suggestedActions?.actions ?? []).map((a) => a.title ?? '');
}

export function t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  return i18n.t(locale, key, vars);
}
