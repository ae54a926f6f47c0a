import type { ConversationState, TurnContext } from 'botbuilder';
import type { BaseConfig } from '../config/schema';
import type { Locale } from '../config/locales';
import type { I18n } from '../i18n/i18n';
import type { Logger } from '../logger';

/**
 * The one handler for a failed turn: logs with the conversation id, apologises to the customer in
 * their language, and clears the dialog stack so the next message starts fresh (message turns only).
 * Stored customer data is never touched.
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
    const locale = deps.localeOf(context) ?? deps.config.DEFAULT_LOCALE;
    try {
      // Only a customer's message gets the apology and a fresh dialog stack; a failed proactive or
      // event turn must not throw away the dialog the customer is in the middle of.
      if (context.activity?.type === 'message') {
        await context.sendActivity(deps.i18n.t(locale, 'messages.errors.turn'));
        await deps.conversationState.delete(context);
      }
    } catch (err) {
      deps.logger.error({ err, conversationId: context.activity?.conversation?.id }, 'could not apologise after a failed turn');
    }
  };
}
