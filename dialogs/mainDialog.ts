import { ActivityTypes, MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogInstance,
  type DialogState,
  type DialogStateManagerConfiguration,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { SUPPORTED_LOCALES, type Locale } from '../src/config/locales';
import type { I18n } from '../src/i18n/i18n';
import type { KeywordMatcher } from '../src/bot/intentRecognizer';
import { turnInfo, turnRecognition } from '../src/bot/turnState';
import type { ConversationMemory } from '../src/bot/turnUnderstanding';
import { DEFAULT_DECISION_POLICY, NOT_ASKABLE, decide, type DecisionPolicy } from '../src/nlu/decision';
import type { RecognizerResult } from '../src/nlu/types';
import { DialogIds, PromptIds } from './ids';
import { KefuPrompt, button, localizedRetry, withButtons, type PromptOutcome } from './prompts/kefuPrompt';
import { TOPIC_ROUTES, TopicWords } from './topics';
import { saysMoreThanChoice } from './prompts/reference';
import { activePrompt, activePromptIs, promptUnderstands } from './prompts/active';
import { NO, YES, yesNo } from './prompts/parsers';
import { keepMemory, missesOf, setMisses } from './misses';
import { intentLabel, menuLabels, routeForMenuLabel, withButtonOrder, type DialogRoute, type HumanRouteOptions } from './routes';

export interface MainDialogDeps {
  i18n: I18n;
  /** Commands from the locale files: interruptions (help, cancel, start over, a person) and the language switch. */
  keywords: KeywordMatcher;
  /** The dialogs the routes point at. */
  dialogs: Dialog[];
  routes: DialogRoute[];
  /** Below this recognizer score the bot says it is not sure and offers the closest intents. */
  confidenceThreshold?: number;
}

/** Options of the main waterfall: start this dialog at once (after an interruption such as "转人工"). */
export interface MainRouteOptions {
  dialogId?: string;
  options?: object;
  /** A flow interrupted by another topic: offered back, with its answers, when the new one ends. */
  paused?: PausedFlow;
}

/** The dialog stack of an unfinished flow (JSON, as stored in the conversation state) and its menu label. */
export interface PausedFlow {
  stack: DialogInstance[];
  label: string;
}

/** Intents that never switch topics in the middle of a flow (small talk, fillers, a person: handled above). */
const NO_SWITCH = new Set(['greeting', 'goodbye_thanks', 'chitchat', 'out_of_scope', 'none', 'human_agent']);
const RESUME_PROMPT = 'kefu.main.resume';
/**
 * How sure the recognizer must be before an unanswered question gives way to another request: a
 * refusal to answer ("不告诉你", complaint at 0.49) stays an answer; "我的积分呢" (0.97) is a request.
 */
export const SWITCH_CONFIDENCE = 0.75;

/** Misses in a row after which a person takes over. */
export const MISSES_BEFORE_HUMAN = 2;

/** Intents answered here with a line of their own and the menu. */
const ANSWERED_HERE: Record<string, string> = {
  goodbye_thanks: 'dialogs.goodbye',
  chitchat: 'dialogs.chitchat',
  out_of_scope: 'dialogs.outOfScope',
};

/** Commands recognized only as the whole message ("中文" inside a sentence is no language switch). */
const EXACT_ONLY = new Set(['language', 'greeting', 'help', 'cancel', 'start_over', 'sign_out']);


/** The turn-state key under which botbuilder-dialogs' DialogStateManager looks for its configuration. */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/**
 * The root dialog: routes each new request to the dialog its intent maps to (or a clicked label),
 * welcomes on a greeting, says honestly when it did not understand (offering the closest intents,
 * and a person after two misses in a row), and handles the interruptions at any step of any dialog:
 * help, cancel, start over, talk to a person.
 */
export class MainDialog extends ComponentDialog {
  private readonly routes: DialogRoute[];
  private readonly policy: DecisionPolicy;
  private readonly topics: TopicWords;
  /** Words around a reference to a choice ("那个", "the one"): dialogs.referenceWords. */
  private readonly referenceWords: string[];
  private memoryConfiguration?: DialogStateManagerConfiguration;

  constructor(private readonly deps: MainDialogDeps) {
    super(DialogIds.main);
    this.routes = deps.routes;
    this.topics = new TopicWords(deps.i18n, deps.keywords);
    this.referenceWords = SUPPORTED_LOCALES.flatMap((l) => deps.i18n.list(l, 'dialogs.referenceWords'));
    this.policy = { ...DEFAULT_DECISION_POLICY, threshold: deps.confidenceThreshold ?? DEFAULT_DECISION_POLICY.threshold };
    for (const dialog of deps.dialogs) this.addDialog(dialog);
    this.addDialog(new KefuPrompt(RESUME_PROMPT, yesNo));
    this.addDialog(new WaterfallDialog(DialogIds.mainWaterfall, [this.routeStep.bind(this), this.offerResumeStep.bind(this), this.resumeStep.bind(this)]));
    this.initialDialogId = DialogIds.mainWaterfall;
  }

  /** Runs the dialog stack for one turn (the activity handler's only call into dialogs). */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, memory?: StatePropertyAccessor<ConversationMemory>): Promise<void> {
    if (memory) keepMemory(context, memory);
    // botbuilder builds the dialog memory's scopes and path resolvers anew on every turn (a graph of
    // factories, in each turn's first DialogContext); they keep nothing between turns and Kefu's
    // dialogs read no memory paths, so the first turn's are handed to the later ones.
    if (this.memoryConfiguration) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.memoryConfiguration);
    const dialogSet = new DialogSet(dialogState);
    dialogSet.add(this);
    const dc = await dialogSet.createContext(context);
    this.memoryConfiguration ??= dc.state.configuration;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  /** The welcome: greeting, what the bot can do, and the menu. */
  async sendWelcome(context: TurnContext, locale: Locale): Promise<void> {
    const { i18n } = this.deps;
    await context.sendActivity(i18n.t(locale, 'messages.welcome.greeting'));
    await context.sendActivity(i18n.t(locale, 'messages.welcome.capabilities'));
    await this.sendMenu(context, locale, 'messages.welcome.prompt');
  }

  private async sendMenu(context: TurnContext, locale: Locale, key: string): Promise<void> {
    await context.sendActivity(MessageFactory.suggestedActions(menuLabels(this.deps.i18n, locale, this.routes), this.deps.i18n.t(locale, key)));
  }

  /** Interruptions, checked before any dialog sees the message: one place for every step of every dialog. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const { context } = innerDc;
    const text = messageText(context);
    if (!text) return super.onContinueDialog(innerDc);
    const locale = turnInfo(context).locale;
    const command = this.deps.keywords.command(text);
    if (command === 'help') {
      await context.sendActivity(this.deps.i18n.t(locale, 'dialogs.interrupt.help'));
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    // "算了" / "不用了" to a yes-or-no question is its "no", not a cancel of everything.
    if (command === 'cancel' && !(activePromptIs(innerDc, PromptIds.confirm) && saysNo(context))) {
      await innerDc.cancelAllDialogs();
      await this.sendMenu(context, locale, 'dialogs.interrupt.cancelled');
      return { status: DialogTurnStatus.cancelled };
    }
    if (command === 'start_over') {
      await innerDc.cancelAllDialogs();
      await this.sendWelcome(context, locale);
      return { status: DialogTurnStatus.cancelled };
    }
    // Only a message that *is* the request ("转人工", "我要转人工"): an answer that mentions a person
    // ("希望找个真人打电话给我") stays in its dialog, which offers a person with its outcome.
    if (this.deps.keywords.isCommand(text, 'human_agent')) {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(DialogIds.mainWaterfall, this.humanRoute(text));
    }
    // "Shall we go back to …?" is a side question: a message that is neither yes nor no (a new
    // question, "thanks, bye") is handled as the new message it is, and the offer lapses.
    if (activePromptIs(innerDc, RESUME_PROMPT) && !promptUnderstands(innerDc)) {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(DialogIds.mainWaterfall, {});
    }
    // "谢谢" / "bye" to a question it does not answer: the customer is done, and so is the flow.
    if (this.saysGoodbye(innerDc)) {
      await innerDc.cancelAllDialogs();
      await context.sendActivity(this.deps.i18n.t(locale, ANSWERED_HERE.goodbye_thanks));
      return { status: DialogTurnStatus.cancelled };
    }
    const switched = this.topicSwitch(innerDc);
    if (switched) {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(DialogIds.mainWaterfall, switched);
    }
    return super.onContinueDialog(innerDc);
  }

  /**
   * In the middle of a flow, a message that does not answer its question but is clearly another
   * request ("我的积分呢" while choosing an item to return) starts that request; the flow is kept
   * (its dialog stack, answers included) and offered back when the new request ends.
   */
  private topicSwitch(innerDc: DialogContext): MainRouteOptions | undefined {
    const { context } = innerDc;
    const recognition = turnRecognition(context);
    if (!recognition) return undefined;
    const decision = this.switchDecision(recognition);
    // A question about the rules ("退货运费谁出" while choosing the item to return) is answered, then the flow offered back.
    const policy = this.policyRoute(messageText(context));
    if (!policy && (decision.kind !== 'route' || NO_SWITCH.has(decision.intent))) return undefined;
    const route = policy ?? this.routes.find((r) => decision.kind === 'route' && r.intent === decision.intent);
    const current = innerDc.activeDialog?.id;
    if (!route || route.dialogId === current) return undefined;
    const options = activePrompt(innerDc)?.options;
    if (!options) return undefined;
    // An answer stays an answer, unless a lookup's question is answered with a task ("退掉那个热水壶").
    const answered = promptUnderstands(innerDc);
    const task = !route.lookup && this.routes.some((r) => r.dialogId === current && r.lookup) && saysMoreThanChoice(messageText(context), options.choices ?? [], this.referenceWords);
    if (answered && !task) return undefined;
    const flow = answered ? undefined : this.routes.find((r) => r.dialogId === current && r.menuLabelKey);
    const paused = flow ? { stack: JSON.parse(JSON.stringify(innerDc.stack)) as DialogInstance[], label: this.deps.i18n.t(turnInfo(context).locale, flow.menuLabelKey as string) } : undefined;
    return { dialogId: route.dialogId, options: withButtonOrder(context, route.options), paused };
  }

  /** A question about a request's rules ("退货运费谁出"): the FAQ answer on them, not the request's flow. */
  private policyRoute(text: string): DialogRoute | undefined {
    const topic = this.topics.policyTopic(text);
    return topic ? this.routes.find((r) => r.intent === `faq.${topic}`) : undefined;
  }

  private saysGoodbye(innerDc: DialogContext): boolean {
    const recognition = turnRecognition(innerDc.context);
    const decision = recognition && activePrompt(innerDc) && !promptUnderstands(innerDc) ? this.switchDecision(recognition) : undefined;
    return decision?.kind === 'route' && decision.intent === 'goodbye_thanks';
  }

  /** What a message in the middle of a flow asks for, if the recognizer is sure enough to leave the question (SWITCH_CONFIDENCE). */
  private switchDecision(recognition: RecognizerResult) {
    return decide(recognition.intents, { ...this.policy, threshold: Math.max(this.policy.threshold, SWITCH_CONFIDENCE) });
  }

  private humanRoute(text: string): MainRouteOptions {
    const options: HumanRouteOptions = { reason: text };
    return { dialogId: DialogIds.human, options };
  }

  private async routeStep(step: WaterfallStepContext<MainRouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const locale = turnInfo(context).locale;
    const forced = step.options?.dialogId;
    if (forced && this.findDialog(forced)) return step.beginDialog(forced, step.options?.options);
    if (context.activity.type !== ActivityTypes.Message) return step.endDialog();

    const text = messageText(context);
    if (!text) {
      await this.answerNoText(context, locale);
      return step.endDialog();
    }
    // A question about the rules or the hours ("人工客服几点上班") before the request it names: it asks, it does not request.
    const route = this.policyRoute(text) ?? this.routeForCommand(text) ?? routeForMenuLabel(this.deps.i18n, text, SUPPORTED_LOCALES, this.routes);
    if (route) return this.begin(step, route);
    // "好的", "ok" after an answer: nothing to do, and no miss.
    if (this.deps.keywords.acknowledges(text)) {
      await setMisses(context, 0);
      await this.sendMenu(context, locale, 'dialogs.resume.dropped');
      return step.endDialog();
    }
    if (this.deps.keywords.command(text) === 'help' || this.deps.keywords.command(text) === 'start_over') {
      await this.sendWelcome(context, locale);
      return step.endDialog();
    }

    const recognition = turnRecognition(context);
    if (!recognition || !/[\p{L}\p{N}]/u.test(text)) {
      await this.sendMenu(context, locale, 'dialogs.fallback.noWords');
      return step.endDialog();
    }
    let decision = decide(recognition.intents, this.policy);
    if (decision.kind === 'ask') {
      if (await this.askWhichOne(context, locale, decision.intents)) return step.endDialog();
      decision = decide(recognition.intents, { ...this.policy, margin: 0 });
    }
    const intent = decision.kind === 'route' ? decision.intent : undefined;
    // "talk to a person, do you have this jacket in XL": a request for a person that the recognizer
    // took for small talk (or nothing sure), named in a phrase that cannot mean anything else.
    if ((!intent || intent === 'greeting' || Object.hasOwn(ANSWERED_HERE, intent)) && this.deps.keywords.namesPhrase(text, 'human_agent')) {
      const human = this.routes.find((r) => r.intent === 'human_agent');
      if (human) return this.begin(step, human);
    }
    const topic = this.topics.overrule(text, intent) ? this.routes.find((r) => TOPIC_ROUTES.has(r.intent)) : undefined;
    if (topic) return this.begin(step, topic);
    if (intent === 'greeting') {
      await setMisses(context, 0);
      await this.sendWelcome(context, locale);
      return step.endDialog();
    }
    const answerKey = intent ? ANSWERED_HERE[intent] : undefined;
    if (answerKey) {
      await setMisses(context, 0);
      if (intent === 'goodbye_thanks') await context.sendActivity(this.deps.i18n.t(locale, answerKey));
      else await this.sendMenu(context, locale, answerKey);
      return step.endDialog();
    }
    const intentRoute = intent ? this.routes.find((r) => r.intent === intent) : undefined;
    if (intentRoute) return this.begin(step, intentRoute);
    // "KF202611270009" alone, or with words the recognizer is unsure of: the route that takes that entity.
    const entityRoute = this.routes.find((r) => r.entity && recognition.entities.some((e) => e.type === r.entity));
    if (entityRoute) return this.begin(step, entityRoute);
    if (await this.notUnderstood(context, locale, recognition)) {
      // Two misses in a row: a person takes over (the handoff stores why).
      const options: HumanRouteOptions = { reason: text, trigger: 'not_understood' };
      return step.beginDialog(DialogIds.human, options);
    }
    return step.endDialog();
  }

  /**
   * Commands that are routes: the whole message is a command ("language", "my tickets"), or a short
   * message mentions one that is not ambiguous inside a sentence ("我要转人工", "我的退货到哪了").
   */
  private routeForCommand(text: string): DialogRoute | undefined {
    const { keywords } = this.deps;
    const exact = keywords.command(text);
    const byCommand = exact ? this.routes.find((r) => r.intent === exact) : undefined;
    if (byCommand) return byCommand;
    const mentioned = this.routes.filter((r) => !EXACT_ONLY.has(r.intent) && keywords.mentions(text, r.intent));
    // "我要转人工，发票开错了": the request for a person wins over the topic it is about; a request
    // wins over a topic word inside it ("积分能不能换优惠券": the points, not the coupons FAQ).
    return mentioned.find((r) => r.intent === 'human_agent') ?? mentioned.find((r) => !TOPIC_ROUTES.has(r.intent)) ?? mentioned[0];
  }

  private async begin(step: WaterfallStepContext, route: DialogRoute): Promise<DialogTurnResult> {
    await setMisses(step.context, 0);
    const options = route.dialogId === DialogIds.human ? { reason: messageText(step.context) } : withButtonOrder(step.context, route.options);
    return step.beginDialog(route.dialogId, options);
  }

  /**
   * Two requests scored close together: "Do you mean A or B?" with their two buttons (a clicked label
   * routes through routeForMenuLabel). False when either has no button label, so the caller acts alone.
   */
  private async askWhichOne(context: TurnContext, locale: Locale, intents: [string, string]): Promise<boolean> {
    const { i18n } = this.deps;
    const labels = intents.map((intent) => intentLabel(i18n, locale, intent, this.routes));
    const [first, second] = labels;
    if (!first || !second || first === second) return false;
    await context.sendActivity(withButtons(i18n.t(locale, 'dialogs.fallback.whichOne', { first, second }), [first, second]));
    return true;
  }

  /** Attachments or stickers alone, or an empty message: say what the bot can read. */
  private async answerNoText(context: TurnContext, locale: Locale): Promise<void> {
    const key = context.activity.attachments?.length ? 'dialogs.fallback.attachmentOnly' : 'dialogs.fallback.empty';
    await this.sendMenu(context, locale, key);
  }

  /** "Sorry, I didn't get that": the closest intents as buttons (or the menu), and a person after repeated misses. */
  private async notUnderstood(context: TurnContext, locale: Locale, recognition: RecognizerResult): Promise<boolean> {
    const { i18n } = this.deps;
    const misses = (await missesOf(context)) + 1;
    await setMisses(context, misses);
    const closest = recognition.intents
      .filter((s) => !NOT_ASKABLE.has(s.intent) && s.score > 0)
      .map((s) => intentLabel(i18n, locale, s.intent, this.routes))
      .filter((label): label is string => label !== undefined);
    if (misses >= MISSES_BEFORE_HUMAN && this.findDialog(DialogIds.human)) {
      await setMisses(context, 0);
      await context.sendActivity(i18n.t(locale, 'dialogs.fallback.handingOver'));
      return true;
    }
    if (closest.length > 0 && recognition.score < this.policy.threshold) {
      await context.sendActivity(withButtons(i18n.t(locale, 'messages.fallback.notUnderstood'), [...closest, i18n.t(locale, 'dialogs.menuButton')]));
      return false;
    }
    await this.sendMenu(context, locale, 'messages.fallback.notUnderstood');
    return false;
  }

  /** After a request that interrupted a flow: "继续刚才的退换货吗？" */
  private async offerResumeStep(step: WaterfallStepContext<MainRouteOptions>): Promise<DialogTurnResult> {
    const paused = step.options?.paused;
    if (!paused) return step.endDialog(step.result);
    const locale = turnInfo(step.context).locale;
    const { i18n } = this.deps;
    return step.prompt(RESUME_PROMPT, {
      prompt: i18n.t(locale, 'dialogs.resume.ask', { flow: paused.label }),
      ...localizedRetry(i18n, locale, 'dialogs.common.yesNoRetry'),
      choices: [button(YES, i18n.t(locale, 'dialogs.resume.yes')), button(NO, i18n.t(locale, 'dialogs.common.no'))],
    });
  }

  /** Yes: the flow's stack comes back as it was and its question is asked again; no: it is dropped. */
  private async resumeStep(step: WaterfallStepContext<MainRouteOptions>): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<boolean>;
    const paused = step.options?.paused;
    const locale = turnInfo(step.context).locale;
    if (!paused || !answer.ok || !answer.value) {
      await this.sendMenu(step.context, locale, 'dialogs.resume.dropped');
      return step.endDialog();
    }
    step.stack.splice(0, step.stack.length, ...paused.stack);
    await step.repromptDialog();
    return Dialog.EndOfTurn;
  }
}

function messageText(context: TurnContext): string {
  if (context.activity.type !== ActivityTypes.Message) return '';
  return typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
}

function saysNo(context: TurnContext): boolean {
  return turnRecognition(context)?.entities.some((e) => e.type === 'boolean' && e.value === false) ?? false;
}
