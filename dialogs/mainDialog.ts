import { ActivityTypes, MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type Dialog,
  type DialogState,
  type WaterfallStepContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { SUPPORTED_LOCALES, type Locale } from '../src/config/config';
import type { I18n } from '../src/i18n/i18n';
import type { IntentRecognizer } from '../src/bot/intentRecognizer';
import { turnInfo } from '../src/bot/turnState';
import { DialogIds } from './ids';
import { menuLabels, routeForMenuLabel, ROUTES, type DialogRoute } from './routes';

export interface MainDialogDeps {
  i18n: I18n;
  recognizer: IntentRecognizer;
  /** The dialogs the routes point at. */
  dialogs: Dialog[];
  routes?: DialogRoute[];
}

/**
 * The root dialog: routes each new request to the dialog its intent maps to, welcomes on a greeting,
 * and answers anything it cannot route with a localized fallback and the menu.
 */
export class MainDialog extends ComponentDialog {
  private readonly routes: DialogRoute[];

  constructor(private readonly deps: MainDialogDeps) {
    super(DialogIds.main);
    this.routes = deps.routes ?? ROUTES;
    for (const dialog of deps.dialogs) this.addDialog(dialog);
    this.addDialog(new WaterfallDialog(DialogIds.mainWaterfall, [this.routeStep.bind(this), this.finishStep.bind(this)]));
    this.initialDialogId = DialogIds.mainWaterfall;
  }

  /** Runs the dialog stack for one turn (the activity handler's only call into dialogs). */
  async run(context: TurnContext, accessor: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogSet = new DialogSet(accessor);
    dialogSet.add(this);
    const dc = await dialogSet.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  /** The welcome: greeting, what the bot can do, and the menu. */
  async sendWelcome(context: TurnContext, locale: Locale): Promise<void> {
    const { i18n } = this.deps;
    await context.sendActivity(i18n.t(locale, 'messages.welcome.greeting'));
    await context.sendActivity(i18n.t(locale, 'messages.welcome.capabilities'));
    await context.sendActivity(MessageFactory.suggestedActions(menuLabels(i18n, locale, this.routes), i18n.t(locale, 'messages.welcome.prompt')));
  }

  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const { locale } = turnInfo(context);
    const text = context.activity.type === ActivityTypes.Message ? (context.activity.text ?? '').trim() : '';
    const route =
      routeForMenuLabel(this.deps.i18n, text, SUPPORTED_LOCALES, this.routes) ?? (await this.routeForIntent(text, locale));
    if (route) return step.beginDialog(route.dialogId);

    const { intent } = await this.deps.recognizer.recognize(text, locale);
    if (intent === 'greeting') {
      await this.sendWelcome(context, locale);
    } else {
      await context.sendActivity(
        MessageFactory.suggestedActions(menuLabels(this.deps.i18n, locale, this.routes), this.deps.i18n.t(locale, 'messages.fallback.notUnderstood')),
      );
    }
    return step.endDialog();
  }

  private async routeForIntent(text: string, locale: Locale): Promise<DialogRoute | undefined> {
    if (!text) return undefined;
    const { intent } = await this.deps.recognizer.recognize(text, locale);
    return this.routes.find((r) => r.intent === intent);
  }

  private async finishStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result);
  }
}
