import type { ConversationState, TurnContext } from 'botbuilder';
import type { BaseConfig } from '../config/schema';
import type { Locale } from '../config/locales';
import { normalizeLocale, type I18n } from '../i18n/i18n';
import type { Logger } from '../logger';
import { detectLanguage } from '../nlu/languageDetect';

/**
 * The one handler for a failed turn: logs with the conversation id, apologises to the customer in
 * their language, and clears the dialog stack so the next message starts fresh (message turns only).
 * Stored customer data is never touched.
 *
 * `localeOf` answers only once the turn's message is stored (the turn middleware sets it then). A turn
 * that failed before (the store unreachable) says honestly that the message did not reach us and asks
 * to send it again, in the language of the message itself (its text, else the channel's locale).
 */
export function createTurnErrorHandler(deps: {
  i18n: I18n;
  conversationState: ConversationState;
  config: Pick<BaseConfig, 'DEFAULT_LOCALE'>;
  logger: Logger;
  localeOf: (context: TurnContext) => Locale | undefined;
}) {
  return async (context: TurnContext, error: unknown): Promise<void> => {
    deps.logger.error(
      { err: error, conversationId: context.activity?.conversation?.id, activityId: context.activity?.id },
      'turn failed',
    );
    const storedLocale = deps.localeOf(context);
    try {
      // Only a customer's message gets the apology and a fresh dialog stack; a failed proactive or
      // event turn must not throw away the dialog the customer is in the middle of.
      if (context.activity?.type === 'message') {
        if (storedLocale) {
          await context.sendActivity(deps.i18n.t(storedLocale, 'messages.errors.turn'));
          await deps.conversationState.delete(context);
        } else {
          const hint = normalizeLocale(context.activity.locale) ?? deps.config.DEFAULT_LOCALE;
          const text = typeof context.activity.text === 'string' ? context.activity.text : '';
          await context.sendActivity(deps.i18n.t(detectLanguage(text, hint), 'messages.errors.notReceived'));
        }
      }
    } catch (err) {
      deps.logger.error({ err, conversationId: context.activity?.conversation?.id }, 'could not apologise after a failed turn');
    }
  };
}
