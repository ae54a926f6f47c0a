import { formatDateTime } from '../../../dialogs/format';
import type { WorkingCalendar } from '../../calendar/calendar';
import type { Locale } from '../../config/locales';
import { writeAudit } from '../../crm/audit';
import type { ConversationLifecycle } from '../../crm/lifecycle';
import { AppError } from '../../errors';
import type { EventLog } from '../../events/eventLog';
import { normalizeLocale, type I18n } from '../../i18n/i18n';
import type { ProactiveMessenger } from '../../bot/proactive';
import type { StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import type { TicketDesk } from '../tickets';
import type { HandoffConfig } from './config';
import type { PlaceNotices } from './places';
import { type HandoffQueueService, SUPERVISOR_ROLES, secondsBetween } from './queue';
import { HANDOFF_ENDED, type HandoffEnded, type HandoffRow, type Unavailable } from './types';

export interface DeskDeps {
  db: Db;
  queue: HandoffQueueService;
  lifecycle: ConversationLifecycle;
  events: EventLog;
  messenger: ProactiveMessenger;
  i18n: I18n;
  tickets: TicketDesk;
  calendar: WorkingCalendar;
  config: HandoffConfig;
  timeZone: string;
  clock: () => Date;
  /** Tells the customers still waiting that they moved up, after an accept or a request leaving the queue. */
  places?: PlaceNotices;
}

const isSupervisor = (m: StaffMember) => SUPERVISOR_ROLES.includes(m.role);

/**
 * What agents do with handoffs: accept (first wins), write to the customer, end, transfer, take
 * over; and the fallbacks to a ticket. Every move is a versioned update of the handoff with the
 * conversation's lifecycle move and an audit row in one transaction; the customer is told after it
 * commits, in their language, on their channel (proactive message).
 */
export class HandoffDesk {
  constructor(private readonly deps: DeskDeps) {}

  async get(handoffId: string): Promise<HandoffRow> {
    const handoff = await this.deps.db.handoff.findUnique({ where: { id: handoffId } });
    if (!handoff) throw new AppError('not_found', `No chat ${handoffId}`);
    return handoff;
  }

  /** 403 unless the chat is this agent's (supervisors and admins may act on every chat). */
  authorize(handoff: HandoffRow, member: StaffMember): void {
    if (member.role === 'manager') throw new AppError('forbidden', 'managers see chats but do not take part in them');
    if (handoff.status === 'ACTIVE' && handoff.agentId !== member.id && !isSupervisor(member)) {
      throw new AppError('forbidden', 'this chat belongs to another agent: ask a supervisor to reassign it');
    }
  }

  /** 409 unless the chat is live (with an agent). */
  active(handoff: HandoffRow): void {
    if (handoff.status !== 'ACTIVE') throw new AppError('conflict', `this chat is ${handoff.status.toLowerCase()}, not live: reload it`);
  }

  private say(handoff: Pick<HandoffRow, 'conversationId' | 'locale'>, key: string, vars: Record<string, string | number> = {}, sender: { type: 'system' | 'agent' | 'bot'; id: string | null } = { type: 'system', id: null }) {
    const locale: Locale = normalizeLocale(handoff.locale) ?? 'zh-CN';
    return this.deps.messenger.send(handoff.conversationId, async (context) => {
      await context.sendActivity(this.deps.i18n.t(locale, key, vars));
    }, sender);
  }

  /** Tells the customer of a live chat something in their language (a system message), and shows it in the chat's console. */
  async notify(handoff: HandoffRow, key: string, vars: Record<string, string | number> = {}): Promise<void> {
    await this.say(handoff, key, vars);
    const text = this.deps.i18n.t(normalizeLocale(handoff.locale) ?? 'zh-CN', key, vars);
    await this.deps.queue.publish({ kind: 'message', handoffId: handoff.id, conversationId: handoff.conversationId, agentId: handoff.agentId, message: { from: 'system', text, at: new Date().toISOString() } });
  }

  /** The first agent to accept gets the chat; any other gets 409 "already taken". */
  async accept(handoffId: string, member: StaffMember): Promise<HandoffRow> {
    const handoff = await this.get(handoffId);
    if (member.role === 'manager') throw new AppError('forbidden', 'managers do not take chats');
    if (handoff.status !== 'QUEUED') throw new AppError('conflict', handoff.status === 'ACTIVE' ? 'another agent has already taken this chat' : `this request is ${handoff.status.toLowerCase()}`);
    if (handoff.queue === 'supervisors' && !isSupervisor(member)) throw new AppError('forbidden', 'this customer asked for a supervisor: only supervisors take it');
    const capacity = (await this.deps.db.agentPresence.findUnique({ where: { agentId: member.id } }))?.capacity ?? this.deps.config.HANDOFF_AGENT_CAPACITY;
    const live = await this.deps.db.handoff.count({ where: { agentId: member.id, status: 'ACTIVE' } });
    if (live >= capacity) throw new AppError('conflict', `you already have ${live} chats (your capacity): end one first`);
    const now = this.deps.clock();
    await this.deps.db.$transaction(async (tx) => {
      await this.deps.queue.close(tx, handoff, { status: 'ACTIVE', agentId: member.id, acceptedAt: now, queueWaitSeconds: secondsBetween(handoff.requestedAt, now) });
      await this.deps.lifecycle.moveIn(tx, handoff.conversationId, { to: 'AGENT', from: 'QUEUED', agentId: member.id, reason: 'accepted', actor: { type: 'agent', id: member.id } });
      await writeAudit(tx, { actor: { type: 'agent', id: member.id }, action: 'handoff.accept', entity: 'Handoff', entityId: handoff.id, after: { conversationId: handoff.conversationId } });
    });
    await this.deps.queue.publish({ kind: 'accepted', handoffId, conversationId: handoff.conversationId, agentId: member.id });
    await this.say(handoff, 'handoff.customer.accepted', { agent: member.name });
    this.deps.places?.queueMoved();
    return this.get(handoffId);
  }

  /** The agent's message to the customer, on the customer's channel, stored with the agent as sender. */
  async send(handoffId: string, member: StaffMember, text: string): Promise<void> {
    const handoff = await this.get(handoffId);
    this.authorize(handoff, member);
    this.active(handoff);
    const sent = await this.deps.messenger.send(
      handoff.conversationId,
      async (context) => {
        await context.sendActivity({ type: 'message', text, channelData: { kefuAgent: { id: member.id, name: member.name } } });
      },
      { type: 'agent', id: member.id },
    );
    if (!sent) throw new AppError('unavailable', 'the customer cannot be reached on their channel');
    const now = this.deps.clock();
    if (!handoff.firstReplyAt && handoff.acceptedAt) {
      await this.deps.db.handoff.updateMany({ where: { id: handoff.id, firstReplyAt: null }, data: { firstReplyAt: now, firstReplySeconds: secondsBetween(handoff.acceptedAt, now) } });
    }
    await this.deps.queue.publish({ kind: 'message', handoffId, conversationId: handoff.conversationId, agentId: handoff.agentId, message: { from: 'agent', senderId: member.id, text, at: new Date().toISOString() } });
  }

  /** The chat ends: back to the bot, which says so; recorded as handoff.ended for the survey. */
  async end(handoffId: string, actor: { member?: StaffMember; customerId?: string | null }, reason: 'agent' | 'customer' | 'idle'): Promise<void> {
    const handoff = await this.get(handoffId);
    if (actor.member) this.authorize(handoff, actor.member);
    this.active(handoff);
    const now = this.deps.clock();
    const who = actor.member
      ? { type: 'agent' as const, id: actor.member.id }
      : reason === 'idle'
        ? { type: 'system' as const, id: 'handoff.idle' }
        : { type: 'customer' as const, id: actor.customerId ?? null };
    await this.deps.db.$transaction(async (tx) => {
      await this.deps.queue.close(tx, handoff, { status: 'ENDED', endedAt: now, endReason: reason, handleSeconds: handoff.acceptedAt ? secondsBetween(handoff.acceptedAt, now) : null });
      await this.deps.lifecycle.moveIn(tx, handoff.conversationId, { to: 'BOT', from: 'AGENT', reason: `ended by ${reason}`, actor: who });
      const ended: HandoffEnded = { handoffId, conversationId: handoff.conversationId, customerId: handoff.customerId, agentId: handoff.agentId, reason, locale: handoff.locale, at: now.toISOString() };
      await this.deps.events.record(tx, [{ type: HANDOFF_ENDED, subject: `Conversation:${handoff.conversationId}`, payload: ended }], now);
      await writeAudit(tx, { actor: who, action: 'handoff.end', entity: 'Handoff', entityId: handoffId, after: { reason }, reason });
    });
    await this.deps.queue.publish({ kind: 'ended', handoffId, conversationId: handoff.conversationId, agentId: handoff.agentId });
    await this.say(handoff, reason === 'idle' ? 'handoff.customer.endedIdle' : 'handoff.customer.ended', {}, { type: 'bot', id: null });
  }

  /**
   * A consultation ticket for a request the queue could not take (or waited too long), carrying what
   * the customer wrote; the customer is told why and when to expect the reply. Returns the ticket's number.
   */
  async toTicket(input: { conversationId: string; customerId: string; locale: string; reasonText: string; why: Unavailable; handoff?: HandoffRow; contactPhone?: string | null }): Promise<{ number: string; dueAt: Date | null }> {
    const locale: Locale = normalizeLocale(input.locale) ?? 'zh-CN';
    const written = input.handoff ? await this.writtenWhileQueued(input.handoff) : [];
    const messages = [input.reasonText, ...written].filter(Boolean).join(' / ').slice(0, 1500);
    const ticket = await this.deps.tickets.open({
      customerId: input.customerId,
      conversationId: input.conversationId,
      category: 'consultation',
      summary: this.deps.i18n.t(locale, 'handoff.ticketSummary', { why: this.deps.i18n.t(locale, `handoff.why.${input.why}`), message: messages || '-' }),
      locale,
      actor: { type: 'customer', id: input.customerId },
      contactPhone: input.contactPhone ?? null,
    });
    if (input.handoff) {
      const now = this.deps.clock();
      const handoff = input.handoff;
      await this.deps.db.$transaction(async (tx) => {
        await this.deps.queue.close(tx, handoff, { status: 'TICKETED', endedAt: now, endReason: 'ticket', ticketNumber: ticket.number, queueWaitSeconds: secondsBetween(handoff.requestedAt, now) });
        await this.deps.lifecycle.moveIn(tx, handoff.conversationId, { to: 'BOT', from: 'QUEUED', reason: input.why, actor: { type: 'system', id: 'handoff' } });
      });
      await this.deps.queue.publish({ kind: 'queue', handoffId: handoff.id, conversationId: handoff.conversationId });
      this.deps.places?.queueMoved();
    }
    return { number: ticket.number, dueAt: ticket.dueAt };
  }

  /** What the customer wrote while waiting (shown to the agent who accepts, or carried into the ticket). */
  async writtenWhileQueued(handoff: HandoffRow): Promise<string[]> {
    const rows = await this.deps.db.message.findMany({
      where: { conversationId: handoff.conversationId, direction: 'INBOUND', senderType: 'customer', createdAt: { gt: handoff.createdAt }, text: { not: null } },
      orderBy: { timestamp: 'asc' },
      take: 50,
      select: { text: true },
    });
    return rows.map((r) => r.text ?? '').filter(Boolean);
  }

  /** Requests waiting past HANDOFF_MAX_WAIT_MINUTES become tickets, and the customers are told (the job runs it every minute). */
  async expireWaits(now: Date): Promise<number> {
    let done = 0;
    for (const handoff of await this.deps.queue.overdue(now)) {
      if (!handoff.customerId) continue;
      try {
        const ticket = await this.toTicket({ conversationId: handoff.conversationId, customerId: handoff.customerId, locale: handoff.locale, reasonText: handoff.reasonText ?? '', why: 'waited_too_long', handoff });
        await this.say(handoff, 'handoff.customer.ticket.waited_too_long', { number: ticket.number, due: this.due(handoff.locale, ticket.dueAt) });
        done++;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'conflict')) throw err; // accepted or left meanwhile
      }
    }
    return done;
  }

  due(locale: string, at: Date | null): string {
    return at ? formatDateTime(at, normalizeLocale(locale) ?? 'zh-CN', this.deps.timeZone) : '-';
  }
}
