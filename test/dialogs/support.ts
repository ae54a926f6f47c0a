import { createStaff } from '../../src/staff';
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
import { TEST_NOW, TestClock } from '../support/clock';
import { expectInOrder } from '../support/reads';

export const LOCALES: Locale[] = ['zh-CN', 'en-US'];
/** The fixed "now" of the dialog tests: Thursday 2026-11-26 10:00 in Shanghai (a working day). */
export const NOW = TEST_NOW;
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
        staff: createStaff({ db, i18n, logger, clock, defaultLocale: 'zh-CN', config }),
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

  /**
   * A chat with a customer: a demo customer by shop id (`shopId: 'C1041'`), a customer row by id, or
   * else a new customer of their own (signed in when verified, anonymous otherwise).
   */
  async chat(options: { shopId?: string; customerId?: string; verified?: boolean; locale: Locale }): Promise<Chat> {
    const verified = options.verified ?? true;
    const externalId = verified ? `T-${crypto.randomBytes(6).toString('hex')}` : null;
    const customerId = options.shopId
      ? (await this.db.customer.findUniqueOrThrow({ where: { externalId: options.shopId } })).id
      : (options.customerId ?? (await this.db.customer.create({ data: { name: 'Test customer', externalId } })).id);
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
  private readonly storage = new MemoryStorage();
  private readonly state = new ConversationState(this.storage);
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

  /** The ids on the dialog stack after the last turn, outermost first (inner stacks of component dialogs included); [] when no dialog is waiting. */
  async dialogs(): Promise<string[]> {
    const ref = this.adapter.conversation;
    const key = `${ref.channelId}/conversations/${ref.conversation.id}/`; // as ConversationState keys it (empty namespace)
    const item = (await this.storage.read([key]))[key] as Record<string, DialogState | undefined> | undefined;
    const ids: string[] = [];
    const walk = (stack: DialogState['dialogStack'] | undefined) => {
      for (const instance of stack ?? []) {
        ids.push(instance.id);
        walk((instance.state as { dialogs?: DialogState } | undefined)?.dialogs?.dialogStack);
      }
    };
    walk(item?.[StateProperties.dialogState]?.dialogStack);
    return ids;
  }

  /**
   * Plays a turn table: for each row, sends what the customer types and checks what they read (see Turn).
   * Returns the replies of every turn, for what a table cannot say (e.g. a ticket number to look up).
   */
  async play(turns: Turn[]): Promise<Partial<Activity>[][]> {
    const all: Partial<Activity>[][] = [];
    for (const [input, reads, also = {}] of turns) {
      const replies = await this.say(input);
      all.push(replies);
      const said = typeof input === 'string' ? input : JSON.stringify(input);
      const texts = replies.map((r) => r.text ?? '');
      if (also.replies !== undefined) expect({ said, replies: texts.length }).toEqual({ said, replies: also.replies });
      expectInOrder(said, texts.join('\n'), reads);
      for (const fragment of also.absent ?? []) {
        if (texts.join('\n').includes(fragment)) throw new Error(`After "${said}" the customer should not read "${fragment}", but read:\n${texts.join('\n')}`);
      }
      if (also.buttons !== undefined) expect({ said, buttons: buttons(replies[replies.length - 1]) }).toEqual({ said, buttons: also.buttons });
      if (also.dialog !== undefined) {
        const stack = await this.dialogs();
        if (also.dialog === null) expect({ said, dialogs: stack }).toEqual({ said, dialogs: [] });
        else expect({ said, dialogs: stack }).toEqual({ said, dialogs: expect.arrayContaining([also.dialog]) });
      }
    }
    return all;
  }
}

/**
 * One row of a turn table: what the customer sends; the fragments they must read in the turn's replies
 * (all replies joined, each fragment found after the previous one); and optionally the buttons of the
 * last reply (exactly, in order), the number of replies, the dialog waiting for the next answer
 * (a dialog id on the stack, or null when the conversation is back at the root with nothing pending),
 * and fragments that must not be read (`absent`).
 * Write the fragments literally, as the customer reads them: never computed with the bot's own texts.
 */
export type Turn = [say: string | Partial<Activity>, reads: string[], also?: { buttons?: string[]; replies?: number; dialog?: string | null; absent?: string[] }];

/** The button titles of a reply. */
export function buttons(activity: Partial<Activity> | undefined): string[] {
  return (activity?.suggestedActions?.actions ?? []).map((a) => a.title ?? '');
}
