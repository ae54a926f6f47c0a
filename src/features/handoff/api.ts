import type { Request, Server } from 'restify';
import { z } from 'zod';
import { writeAudit } from '../../crm/audit';
import { AppError } from '../../errors';
import type { I18n } from '../../i18n/i18n';
import type { Staff, StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import { caseCard } from './caseCard';
import type { CaseWork } from './caseWork';
import type { HandoffConfig } from './config';
import type { HandoffDesk } from './desk';
import { SUPERVISOR_ROLES, type HandoffQueueService } from './queue';
import type { HandoffTransfers } from './transfers';
import type { TypingRelay } from './typing';

export interface HandoffApiDeps {
  db: Db;
  staff: Staff;
  queue: HandoffQueueService;
  desk: HandoffDesk;
  transfers: HandoffTransfers;
  typing: TypingRelay;
  /** Notes and tickets from the chat (the case card shows the notes). */
  work: CaseWork;
  i18n: I18n;
  config: HandoffConfig;
  clock: () => Date;
}

/** Longest message an agent may send, in characters. */
export const MAX_AGENT_MESSAGE = 2000;

const presenceSchema = z.object({ status: z.enum(['online', 'away', 'offline']), capacity: z.number().int().min(1).max(20).optional() }).strict();
const messageSchema = z.object({ text: z.string().trim().min(1) }).strict();
const transferSchema = z
  .object({ toAgentId: z.string().min(1).optional(), queue: z.enum(['general', 'supervisors']).optional(), note: z.string().trim().max(1000).optional() })
  .strict()
  .refine((b) => Boolean(b.toAgentId) !== Boolean(b.queue), { message: 'give either toAgentId or queue' });

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new AppError('invalid_request', result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return result.data;
}

const idOf = (req: Request) => String((req.params as Record<string, string>).id ?? '');
const queuesOf = (m: StaffMember) => (SUPERVISOR_ROLES.includes(m.role) || m.role === 'manager' ? ['general', 'supervisors'] : ['general']);

/**
 * The agent console's JSON API (signed-in staff; a browser session sends the CSRF header):
 *   POST /agent/api/presence            {status: online|away|offline, capacity?}
 *   GET  /agent/api/queue               waiting customers, highest priority then longest waiting first
 *   GET  /agent/api/chats               my live chats (supervisors and managers: every live chat)
 *   GET  /agent/api/chats/:id           the case card: customer, tier, orders, tickets, reason, transcript, notes
 *   POST /agent/api/chats/:id/watch     a supervisor or manager watches a live chat (read-only; audit-logged)
 *   POST /agent/api/chats/:id/accept    first accept wins (409 for the others)
 *   POST /agent/api/chats/:id/messages  {text} to the customer
 *   POST /agent/api/chats/:id/typing    the agent is typing (the console sends it on its socket too); 202
 *   POST /agent/api/chats/:id/end       back to the bot
 *   POST /agent/api/chats/:id/transfer  {toAgentId | queue, note?}
 *   POST /agent/api/chats/:id/takeover  a supervisor takes the chat
 *   GET  /agent/api/canned              canned replies in the agent's language (?lang=)
 */
export function registerHandoffApi(server: Server, deps: HandoffApiDeps): void {
  const { staff, db, queue, desk, transfers } = deps;
  const anyStaff = staff.requireStaff('chats.read');
  const watchers = staff.requireStaff('chats.watch');
  const agents = staff.requireStaff('chats.handle');
  const supervisors = staff.requireStaff('chats.takeover');

  server.post(
    '/agent/api/presence',
    agents(async (req, _res, auth) => {
      const body = parse(presenceSchema, req.body);
      const capacity = body.capacity ?? deps.config.HANDOFF_AGENT_CAPACITY;
      await db.agentPresence.upsert({ where: { agentId: auth.member.id }, create: { agentId: auth.member.id, status: body.status, capacity }, update: { status: body.status, capacity } });
      await queue.publish({ kind: 'queue' });
      return { status: body.status, capacity };
    }),
  );

  server.get(
    '/agent/api/queue',
    anyStaff(async (_req, _res, auth) => {
      const now = deps.clock();
      const rows = await queue.list(queuesOf(auth.member));
      const customers = await db.customer.findMany({ where: { id: { in: rows.map((r) => r.customerId).filter((x): x is string => Boolean(x)) } }, select: { id: true, name: true, tier: true } });
      const byId = new Map(customers.map((c) => [c.id, c]));
      return {
        items: rows.map((r, i) => ({
          id: r.id,
          conversationId: r.conversationId,
          queue: r.queue,
          reason: r.reason,
          reasonText: r.reasonText,
          priority: r.priority,
          position: i + 1,
          customer: r.customerId ? (byId.get(r.customerId) ?? null) : null,
          waitingSeconds: Math.max(0, Math.round((now.getTime() - r.requestedAt.getTime()) / 1000)),
          version: r.version,
        })),
      };
    }),
  );

  server.get(
    '/agent/api/chats',
    anyStaff(async (_req, _res, auth) => {
      const seesAll = auth.member.role !== 'agent';
      const rows = await db.handoff.findMany({ where: { status: 'ACTIVE', queue: { not: 'external' }, ...(seesAll ? {} : { agentId: auth.member.id }) }, orderBy: { acceptedAt: 'asc' } });
      return { items: rows.map((r) => ({ id: r.id, conversationId: r.conversationId, agentId: r.agentId, reason: r.reason, acceptedAt: r.acceptedAt, version: r.version })) };
    }),
  );

  server.get(
    '/agent/api/chats/:id',
    anyStaff(async (req, _res, auth) => {
      const handoff = await desk.get(idOf(req));
      if (auth.member.role === 'agent' && handoff.status === 'ACTIVE' && handoff.agentId !== auth.member.id) throw new AppError('forbidden', 'this chat belongs to another agent');
      return { ...(await caseCard(db, desk, handoff, queue.standings)), notes: await deps.work.notes(handoff.conversationId) };
    }),
  );

  // A supervisor (or manager) watches a colleague's live chat: the case card now, the chat's updates on the socket; nothing changes hands.
  server.post(
    '/agent/api/chats/:id/watch',
    watchers(async (req, _res, auth) => {
      const handoff = await desk.get(idOf(req));
      desk.active(handoff);
      await db.$transaction((tx) => writeAudit(tx, { actor: { type: 'agent', id: auth.member.id }, action: 'handoff.watch', entity: 'Handoff', entityId: handoff.id, after: { agentId: handoff.agentId } }));
      return { ...(await caseCard(db, desk, handoff, queue.standings)), notes: await deps.work.notes(handoff.conversationId) };
    }),
  );

  server.post('/agent/api/chats/:id/accept', agents(async (req, _res, auth) => ({ chat: await desk.accept(idOf(req), auth.member) })));

  server.post(
    '/agent/api/chats/:id/messages',
    agents(async (req, res, auth) => {
      const { text } = parse(messageSchema, req.body);
      if (text.length > MAX_AGENT_MESSAGE) throw new AppError('too_large', `a message has at most ${MAX_AGENT_MESSAGE} characters (this one ${text.length})`);
      await desk.send(idOf(req), auth.member, text);
      res.status(201);
      res.json({ sent: true });
    }),
  );

  server.post(
    '/agent/api/chats/:id/typing',
    agents(async (req, res, auth) => {
      const sent = await deps.typing.agentTyping(idOf(req), auth.member);
      res.status(202);
      res.json({ sent });
    }),
  );

  server.post(
    '/agent/api/chats/:id/end',
    agents(async (req, _res, auth) => {
      await desk.end(idOf(req), { member: auth.member }, 'agent');
      return { ended: true };
    }),
  );

  server.post(
    '/agent/api/chats/:id/transfer',
    agents(async (req, _res, auth) => {
      const body = parse(transferSchema, req.body);
      return { chat: await transfers.transfer(idOf(req), auth.member, body) };
    }),
  );

  server.post('/agent/api/chats/:id/takeover', supervisors(async (req, _res, auth) => ({ chat: await transfers.takeOver(idOf(req), auth.member) })));

  server.get(
    '/agent/api/canned',
    anyStaff(async (req) => {
      const lang = String((req.query as Record<string, unknown> | undefined)?.lang ?? '');
      const locale = lang === 'en-US' ? 'en-US' : 'zh-CN';
      return { items: deps.i18n.raw<{ title: string; text: string }[]>(locale, 'agentConsole.canned') };
    }),
  );
}
