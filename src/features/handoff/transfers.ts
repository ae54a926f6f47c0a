import { writeAudit } from '../../crm/audit';
import type { ConversationLifecycle } from '../../crm/lifecycle';
import { AppError } from '../../errors';
import { normalizeLocale, type I18n } from '../../i18n/i18n';
import type { ProactiveMessenger } from '../../bot/proactive';
import type { StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import type { HandoffDesk } from './desk';
import type { HandoffQueueService } from './queue';
import type { HandoffRow } from './types';

/**
 * Moving a live chat: to another agent or back to a queue (with a note for whoever takes it), or a
 * supervisor taking it over. Versioned like accept; audit-logged; the customer is told who serves them.
 */
export class HandoffTransfers {
  constructor(private readonly deps: { db: Db; desk: HandoffDesk; queue: HandoffQueueService; lifecycle: ConversationLifecycle; messenger: ProactiveMessenger; i18n: I18n; clock: () => Date }) {}

  private async tell(handoff: HandoffRow, key: string, vars: Record<string, string> = {}): Promise<void> {
    const locale = normalizeLocale(handoff.locale) ?? 'zh-CN';
    await this.deps.messenger.send(handoff.conversationId, async (context) => {
      await context.sendActivity(this.deps.i18n.t(locale, key, vars));
    }, { type: 'system', id: null });
  }

  async transfer(handoffId: string, member: StaffMember, to: { toAgentId?: string; queue?: 'general' | 'supervisors'; note?: string }): Promise<HandoffRow> {
    const { desk, db, lifecycle, queue } = this.deps;
    const handoff = await desk.get(handoffId);
    desk.authorize(handoff, member);
    if (handoff.status !== 'ACTIVE') throw new AppError('conflict', `this chat is ${handoff.status.toLowerCase()}, not live: reload it`);
    const actor = { type: 'agent' as const, id: member.id };
    if (to.toAgentId) {
      const target = await db.agent.findUnique({ where: { id: to.toAgentId } });
      if (!target?.active || !['agent', 'supervisor', 'admin'].includes(target.role)) throw new AppError('invalid_request', 'transfer to an active agent or supervisor');
      if (target.id === handoff.agentId) throw new AppError('conflict', 'the chat is already with this agent');
      await db.$transaction(async (tx) => {
        await queue.close(tx, handoff, { agentId: target.id });
        await lifecycle.moveIn(tx, handoff.conversationId, { to: 'AGENT', from: 'AGENT', agentId: target.id, reason: 'transfer', actor });
        await writeAudit(tx, { actor, action: 'handoff.transfer', entity: 'Handoff', entityId: handoffId, before: { agentId: handoff.agentId }, after: { agentId: target.id }, reason: to.note });
      });
      await queue.publish({ kind: 'transferred', handoffId, conversationId: handoff.conversationId, agentId: target.id });
      await this.tell(handoff, 'handoff.customer.transferred', { agent: target.name });
    } else {
      const target = to.queue ?? 'general';
      await db.$transaction(async (tx) => {
        await queue.close(tx, handoff, { status: 'QUEUED', agentId: null, queue: target, reasonText: to.note ? `${handoff.reasonText ?? ''} [${to.note}]`.trim() : handoff.reasonText });
        await lifecycle.moveIn(tx, handoff.conversationId, { to: 'QUEUED', from: 'AGENT', queue: target, reason: 'transfer', actor });
        await writeAudit(tx, { actor, action: 'handoff.transfer', entity: 'Handoff', entityId: handoffId, before: { agentId: handoff.agentId }, after: { queue: target }, reason: to.note });
      });
      await queue.publish({ kind: 'queue', handoffId, conversationId: handoff.conversationId });
      await this.tell(handoff, 'handoff.customer.requeued');
    }
    return desk.get(handoffId);
  }

  /** A supervisor takes a live chat from its agent (or a waiting one from the queue). */
  async takeOver(handoffId: string, supervisor: StaffMember): Promise<HandoffRow> {
    const { desk, db, lifecycle, queue } = this.deps;
    const handoff = await desk.get(handoffId);
    if (handoff.status === 'QUEUED') return desk.accept(handoffId, supervisor);
    if (handoff.status !== 'ACTIVE') throw new AppError('conflict', `this chat is ${handoff.status.toLowerCase()}, not live`);
    if (handoff.agentId === supervisor.id) throw new AppError('conflict', 'you already have this chat');
    const actor = { type: 'agent' as const, id: supervisor.id };
    await db.$transaction(async (tx) => {
      await queue.close(tx, handoff, { agentId: supervisor.id });
      await lifecycle.moveIn(tx, handoff.conversationId, { to: 'AGENT', from: 'AGENT', agentId: supervisor.id, reason: 'take-over', actor });
      await writeAudit(tx, { actor, action: 'handoff.takeover', entity: 'Handoff', entityId: handoffId, before: { agentId: handoff.agentId }, after: { agentId: supervisor.id } });
    });
    await queue.publish({ kind: 'transferred', handoffId, conversationId: handoff.conversationId, agentId: supervisor.id });
    await this.tell(handoff, 'handoff.customer.transferred', { agent: supervisor.name });
    return desk.get(handoffId);
  }
}
