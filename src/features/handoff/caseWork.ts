import { writeAudit } from '../../crm/audit';
import { AppError } from '../../errors';
import type { StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import type { TicketCategory, TicketDesk } from '../tickets';
import type { HandoffDesk } from './desk';
import type { HandoffQueueService } from './queue';
import type { HandoffRow } from './types';

/** A ticket's summary from the chat: at most this many characters. */
export const MAX_TICKET_SUMMARY = 1000;

export interface NoteView {
  id: string;
  agentId: string;
  agentName: string | null;
  text: string;
  at: Date;
}

/**
 * What an agent does for the case beside talking: internal notes on the chat (stored, audit-logged,
 * shown to staff in the case card, never sent to the customer) and a ticket for the chat's customer,
 * opened (category and summary prefilled from the conversation) or updated with a note. Both only on
 * a live chat, by its agent or a supervisor.
 */
export class CaseWork {
  constructor(private readonly deps: { db: Db; desk: HandoffDesk; queue: HandoffQueueService; tickets: TicketDesk }) {}

  private async liveChatOf(handoffId: string, member: StaffMember): Promise<HandoffRow> {
    const handoff = await this.deps.desk.get(handoffId);
    this.deps.desk.authorize(handoff, member);
    this.deps.desk.active(handoff);
    return handoff;
  }

  async addNote(handoffId: string, member: StaffMember, text: string): Promise<NoteView> {
    const handoff = await this.liveChatOf(handoffId, member);
    const note = await this.deps.db.$transaction(async (tx) => {
      const created = await tx.handoffNote.create({ data: { handoffId, conversationId: handoff.conversationId, agentId: member.id, text } });
      await writeAudit(tx, { actor: { type: 'agent', id: member.id }, action: 'handoff.note', entity: 'Handoff', entityId: handoffId, after: { noteId: created.id, length: text.length } });
      return created;
    });
    const view: NoteView = { id: note.id, agentId: member.id, agentName: member.name, text, at: note.createdAt };
    // To the chat's agent and the supervisors' consoles only (the console socket); never to the customer's channel.
    await this.deps.queue.publish({ kind: 'note', handoffId, conversationId: handoff.conversationId, agentId: handoff.agentId, note: { id: note.id, agentId: member.id, text, at: note.createdAt.toISOString() } });
    return view;
  }

  /** The notes of every chat of this conversation, oldest first, with their authors' names. */
  async notes(conversationId: string): Promise<NoteView[]> {
    const rows = await this.deps.db.handoffNote.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' }, take: 200 });
    const agents = await this.deps.db.agent.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.agentId))] } }, select: { id: true, name: true } });
    const names = new Map(agents.map((a) => [a.id, a.name]));
    return rows.map((r) => ({ id: r.id, agentId: r.agentId, agentName: names.get(r.agentId) ?? null, text: r.text, at: r.createdAt }));
  }

  /** The ticket form, prefilled: the category from why they asked, the summary from what the customer wrote. */
  async ticketDraft(handoffId: string, member: StaffMember): Promise<{ category: TicketCategory; summary: string; openTickets: { number: string; category: string; status: string; summary: string }[] }> {
    const handoff = await this.liveChatOf(handoffId, member);
    const rows = await this.deps.db.message.findMany({
      where: { conversationId: handoff.conversationId, direction: 'INBOUND', senderType: 'customer', createdAt: { gte: handoff.createdAt } },
      orderBy: { timestamp: 'asc' },
      take: 20,
      select: { text: true },
    });
    const said = [handoff.reasonText ?? '', ...rows.map((r) => r.text ?? '')].map((t) => t.trim()).filter((t, i, all) => t && all.indexOf(t) === i);
    const open = handoff.customerId
      ? await this.deps.db.ticket.findMany({ where: { customerId: handoff.customerId, status: { notIn: ['CLOSED', 'RESOLVED'] } }, orderBy: { createdAt: 'desc' }, take: 10, select: { number: true, category: true, status: true, summary: true } })
      : [];
    return { category: handoff.reason === 'complaint' ? 'complaint' : 'consultation', summary: said.join(' / ').slice(0, MAX_TICKET_SUMMARY), openTickets: open };
  }

  /** Opens a ticket for the chat's customer (201), or adds the summary as a note to one of their tickets. */
  async ticket(handoffId: string, member: StaffMember, input: { category: TicketCategory; summary: string; number?: string }): Promise<{ number: string; created: boolean }> {
    const handoff = await this.liveChatOf(handoffId, member);
    const customerId = handoff.customerId;
    if (!customerId) throw new AppError('conflict', 'this chat has no customer to open a ticket for');
    const actor = { type: 'agent' as const, id: member.id, role: member.role };
    if (input.number) {
      const ticket = await this.deps.tickets.findForCustomer(customerId, input.number);
      if (!ticket) throw new AppError('not_found', `the customer of this chat has no ticket ${input.number}`);
      await this.deps.tickets.note(ticket.number, input.summary, actor);
      return { number: ticket.number, created: false };
    }
    const ticket = await this.deps.tickets.open({ customerId, conversationId: handoff.conversationId, category: input.category, summary: input.summary, locale: handoff.locale, actor });
    return { number: ticket.number, created: true };
  }
}
