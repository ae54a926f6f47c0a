import { foldText } from '../../nlu/normalize';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { turnInfo } from '../../bot/turnState';
import { maskPhone } from '../../crm/masking';
import { DialogIds, PromptIds } from '../../../dialogs/ids';
import { KefuPrompt, button, type PromptInput, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { NO, parsePhone, yesNo } from '../../../dialogs/prompts/parsers';
import type { HumanRouteOptions } from '../../../dialogs/routes';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import type { TicketDesk } from '../tickets';
import type { HandoffDesk } from './desk';
import type { ExternalHandoff } from './external';
import type { HandoffQueueService } from './queue';
import { HANDOFF_REASONS, type HandoffReason, type Unavailable } from './types';

const HANDOFF_WATERFALL = 'kefu.handoff.waterfall';
/** Why no person is free, and what the guest wrote, kept while they are asked for a phone number. */
const GUEST_REQUEST = 'guestRequest';

/**
 * A guest's call-back number, or NO for "no number, answer me here" (the button, or a no: not a word
 * of the button's label, so "what number?" is asked again rather than taken for "No phone number").
 */
function parsePhoneOrNone(input: PromptInput): string | undefined {
  const phone = parsePhone(input);
  if (phone) return phone;
  return yesNo(input) === false ? NO : undefined;
}

/** Ticket statuses in which a consultation ticket is still waiting for an agent. */
const WAITING = ['NEW', 'OPEN', 'REOPENED'];

/**
 * "Talk to a person", from any step of any dialog: the customer joins the queue and is told their
 * place and the estimated wait (the queue's own turn handler answers while they wait). Out of
 * business hours or with nobody online the bot says so honestly and opens a consultation ticket with
 * its promised reply time instead (or reminds of the one already waiting).
 */
export class HandoffDialog extends KefuDialog {
  constructor(
    base: DialogBase,
    private readonly deps: { queue: HandoffQueueService; desk: HandoffDesk; tickets: TicketDesk; external?: ExternalHandoff },
  ) {
    super(DialogIds.human, base);
    this.addDialog(new KefuPrompt(PromptIds.phone, parsePhoneOrNone));
    this.addDialog(new WaterfallDialog(HANDOFF_WATERFALL, [this.requestStep.bind(this), this.guestTicketStep.bind(this)]));
    this.initialDialogId = HANDOFF_WATERFALL;
  }

  private reasonOf(step: WaterfallStepContext<HumanRouteOptions>, text: string): HandoffReason {
    const trigger = step.options?.trigger;
    if (trigger && (HANDOFF_REASONS as readonly string[]).includes(trigger)) return trigger as HandoffReason;
    const lower = foldText(text);
    const manager = this.base.i18n.list(this.locale(step.context), 'handoff.phrases.manager');
    return manager.some((k) => lower.includes(foldText(k))) ? 'manager' : 'asked';
  }

  private async requestStep(step: WaterfallStepContext<HumanRouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const info = turnInfo(context);
    const reasonText = (step.options?.reason ?? context.activity.text ?? '').slice(0, 500);
    const reason = this.reasonOf(step, reasonText);
    if (this.deps.external) {
      await this.deps.external.initiate(context, reason, reasonText);
      await this.say(context, 'handoff.customer.external');
      return step.endDialog({ outcome: 'done' });
    }
    const outcome = await this.deps.queue.request({ conversationId: info.conversationId, customerId: info.customerId, locale: this.locale(context), reason, reasonText });
    if (outcome.kind === 'queued') {
      const key = outcome.handoff.queue === 'supervisors' ? 'handoff.customer.queuedSupervisor' : 'handoff.customer.queued';
      await this.say(context, key, { position: outcome.position, minutes: outcome.waitMinutes });
      info.owner = { status: 'QUEUED', agentId: null, queue: outcome.handoff.queue };
      return step.endDialog({ outcome: 'done' });
    }
    if (outcome.kind === 'already') {
      if (outcome.handoff.status === 'QUEUED') await this.say(context, 'handoff.customer.alreadyQueued', { position: outcome.position, minutes: outcome.waitMinutes });
      return step.endDialog({ outcome: 'done' });
    }
    return this.fallBack(step, outcome.why, reasonText);
  }

  /** No live person now: a consultation ticket (or the one already waiting), said honestly. */
  private async fallBack(step: WaterfallStepContext, why: Unavailable, reasonText: string): Promise<DialogTurnResult> {
    const { context } = step;
    const info = turnInfo(context);
    if (!info.verified) {
      // A guest (a question before buying, say) may leave the question too: an agent answers in this
      // chat, or calls back on a number the guest gives. Signing in stays the way to talk about orders.
      this.remember(step, GUEST_REQUEST, { why, reasonText });
      return step.prompt(PromptIds.phone, {
        prompt: this.t(context, 'handoff.customer.guest.ask', { why: this.t(context, `handoff.customer.why.${why}`), url: this.base.signInUrl }),
        ...this.retry(context, 'handoff.customer.guest.retry'),
        choices: [button(NO, this.t(context, 'handoff.customer.guest.noPhone'))],
      });
    }
    const waiting = (await this.deps.tickets.listForCustomer(info.customerId, 10)).find((t) => t.conversationId === info.conversationId && WAITING.includes(t.status));
    if (waiting) {
      await this.say(context, 'human.alreadyOpen', { number: waiting.number, due: waiting.dueAt ? this.dateTime(context, waiting.dueAt) : '-' });
      return step.endDialog({ outcome: 'done', ticketNumber: waiting.number });
    }
    const ticket = await this.deps.desk.toTicket({ conversationId: info.conversationId, customerId: info.customerId, locale: this.locale(context), reasonText, why });
    await this.say(context, `handoff.customer.ticket.${why}`, { number: ticket.number, due: ticket.dueAt ? this.dateTime(context, ticket.dueAt) : '-' });
    return step.endDialog({ outcome: 'done', ticketNumber: ticket.number });
  }

  /** The guest's answer: a consultation ticket with their question, and the number to call back on if they gave one. */
  private async guestTicketStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    const { context } = step;
    const info = turnInfo(context);
    const { why, reasonText } = this.recall<{ why: Unavailable; reasonText: string }>(step, GUEST_REQUEST);
    const phone = answer.value === NO ? null : answer.value;
    const ticket = await this.deps.desk.toTicket({ conversationId: info.conversationId, customerId: info.customerId, locale: this.locale(context), reasonText, why, contactPhone: phone });
    const due = ticket.dueAt ? this.dateTime(context, ticket.dueAt) : '-';
    await this.say(context, phone ? 'handoff.customer.guest.ticketCall' : 'handoff.customer.guest.ticket', { number: ticket.number, due, phone: phone ? maskPhone(phone) : '' });
    return step.endDialog({ outcome: 'done', ticketNumber: ticket.number });
  }
}
