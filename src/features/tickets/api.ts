import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../../errors';
import { sendError } from '../../http/errors';
import { instant, parseInstant, text } from '../../http/validation';
import type { Logger } from '../../logger';
import { requirePermission, type Permission } from '../../staff';
import { authorizeAssign, authorizeWrite, canRead, visibleTo } from './access';
import type { AgentIdentity, AgentService } from './agents';
import type { WorkingCalendar } from '../../calendar/calendar';
import { listTickets, type TicketFilter } from './queries';
import type { TicketService } from './service';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES, type TicketActor, type Ticket, type TicketEvent } from './types';

/**
 * The agent and manager API under /api/tickets (JSON; bearer token per agent):
 *   GET  /api/tickets                 list (filters, page + limit, sort=due|created)
 *   GET  /api/tickets/:ref            one ticket with its history (ref = number or id)
 *   POST /api/tickets/:ref/status     {status, reason, resolutionSummary?, version?}   (reason required; for RESOLVED the summary is the reason)
 *   POST /api/tickets/:ref/assign     {assigneeId: id | "me" | null, version?}
 *   POST /api/tickets/:ref/comments   {body, version?}   sent to the customer
 *   POST /api/tickets/:ref/notes      {body, version?}   internal, never sent
 * Errors: {error, message} with 400 / 401 / 403 / 404 / 409.
 */
export interface TicketApiDeps {
  server: Server;
  tickets: TicketService;
  agents: AgentService;
  calendar: WorkingCalendar;
  logger: Logger;
  /** The customer's tier, value class and lifecycle stage (the segments feature), shown with a ticket. */
  standings?: CustomerCards;
}

export interface CustomerCards {
  card(customerId: string): Promise<{ tier: string; valueClass: string | null; stage: string | null } | null>;
}

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));


const listQuerySchema = z
  .object({
    status: csvOf(TICKET_STATUSES).optional(),
    category: csvOf(TICKET_CATEGORIES).optional(),
    priority: csvOf(TICKET_PRIORITIES).optional(),
    /** An agent id, "me" or "none". */
    assignee: z.string().min(1).optional(),
    owner: z.string().min(1).optional(),
    customer: z.string().min(1).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    createdFrom: instant.optional(),
    createdTo: instant.optional(),
    q: text(200).pipe(z.string().min(1)).optional(),
    sort: z.enum(['due', 'created']).default('due'),
    page: z.coerce.number().int().min(1).default(1),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const version = z.number().int().min(1).optional();
/** A status change records why (the audit log's reason); a resolution's summary is its reason. */
const statusBodySchema = z
  .object({
    status: z.enum(TICKET_STATUSES),
    reason: text(2000).optional(),
    resolutionSummary: text(4000).optional(),
    version,
  })
  .refine((b) => (b.reason?.trim().length ?? 0) >= 3 || b.status === 'RESOLVED', { path: ['reason'], message: 'say why the status changes (at least 3 characters; every change by staff records its reason)' });
const assignBodySchema = z.object({ assigneeId: z.string().min(1).nullable(), version });
const textBodySchema = z.object({ body: text(4000).pipe(z.string().trim().min(1)), version });

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new AppError('invalid_request', describe(result.error));
  return result.data;
}

export function ticketView(t: Ticket, now: Date) {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    category: t.category,
    complaintType: t.complaintType,
    priority: t.priority,
    summary: t.summary,
    contactPhone: t.contactPhone,
    customerId: t.customerId,
    conversationId: t.conversationId,
    orderId: t.orderId,
    ownerId: t.ownerId,
    assigneeId: t.assigneeId,
    dueAt: t.dueAt,
    slaTarget: t.slaTarget,
    overdue: t.dueAt !== null && t.dueAt.getTime() < now.getTime() && !['RESOLVED', 'CLOSED'].includes(t.status),
    firstResponseDueAt: t.firstResponseDueAt,
    resolutionDueAt: t.resolutionDueAt,
    firstRespondedAt: t.firstRespondedAt,
    pausedAt: t.pausedAt,
    pausedWorkingSeconds: t.pausedWorkingSeconds,
    pausedCalendarSeconds: t.pausedCalendarSeconds,
    resolutionSummary: t.resolutionSummary,
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
  };
}

function eventView(e: TicketEvent) {
  return {
    id: e.id,
    type: e.type,
    actor: { type: e.actorType, id: e.actorId },
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    body: e.body,
    data: e.data,
    createdAt: e.createdAt,
  };
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.json(body);
}

/** A route's own work for a signed-in agent; its result is the response body. It throws to refuse. */
type TicketHandler = (deps: TicketApiDeps, req: Request, agent: AgentIdentity) => Promise<unknown>;

export function registerTicketApi(deps: TicketApiDeps): void {
  const { server } = deps;
  const read = (status: number, handler: TicketHandler) => ticketRoute(deps, 'tickets.read', status, handler);
  const write = (status: number, handler: TicketHandler) => ticketRoute(deps, 'tickets.write', status, handler);
  server.get('/api/tickets', read(200, listRoute));
  server.get('/api/tickets/:ref', read(200, showRoute));
  server.post('/api/tickets/:ref/status', write(200, statusRoute));
  server.post('/api/tickets/:ref/assign', write(200, assignRoute));
  server.post('/api/tickets/:ref/comments', write(201, commentRoute));
  server.post('/api/tickets/:ref/notes', write(201, noteRoute));
}

/** The agent of the request's bearer token (401 without a valid one). */
async function authenticate(agents: AgentService, req: Request): Promise<AgentIdentity> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const agent = match ? await agents.authenticate(match[1]) : undefined;
  if (!agent) throw new AppError('unauthorized', match ? 'The bearer token is not valid (or the agent is inactive)' : 'Send Authorization: Bearer <token>');
  return agent;
}

/** A restify handler: the agent signed in with the permission (src/staff/permissions.ts), `handler` run, any failure answered by the one error mapper (src/http/errors.ts). */
function ticketRoute(deps: TicketApiDeps, permission: Permission, status: number, handler: TicketHandler) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const agent = await authenticate(deps.agents, req);
      requirePermission(agent.role, permission);
      send(res, status, await handler(deps, req, agent));
    } catch (err) {
      sendError(res, err, { logger: deps.logger });
    }
  };
}

function actorOf(agent: AgentIdentity): TicketActor {
  return { type: 'agent', id: agent.id, role: agent.role };
}

function refOf(req: Request): string {
  return String((req.params as Record<string, string>).ref ?? '');
}

/** The list query as a filter: "me" / "none" for agents, shop-local days for dates. */
function filterOf(q: z.infer<typeof listQuerySchema>, agent: AgentIdentity, calendar: WorkingCalendar): TicketFilter {
  const who = (v: string | undefined): string | null | undefined => (v === undefined ? undefined : v === 'me' ? agent.id : v === 'none' ? null : v);
  const when = (v: string | undefined): Date | undefined => {
    const parsed = v === undefined ? undefined : parseInstant(v);
    return parsed === undefined ? undefined : 'day' in parsed ? calendar.startOfDay(parsed.day) : parsed.at;
  };
  return {
    status: q.status,
    category: q.category,
    priority: q.priority,
    assigneeId: who(q.assignee),
    ownerId: who(q.owner),
    customerId: q.customer,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    createdFrom: when(q.createdFrom),
    createdTo: when(q.createdTo),
    q: q.q,
    sort: q.sort,
    page: q.page,
    limit: q.limit,
  };
}

/** GET /api/tickets: the tickets the agent may see, filtered, one page. */
async function listRoute({ tickets, calendar }: TicketApiDeps, req: Request, agent: AgentIdentity) {
  const filter = filterOf(parse(listQuerySchema, req.query), agent, calendar);
  const now = tickets.now();
  const page = await listTickets(tickets.db, filter, now, visibleTo(agent));
  return { ...page, items: page.items.map((t) => ticketView(t, now)) };
}

/** GET /api/tickets/:ref: one ticket with its history. */
async function showRoute({ tickets, standings }: TicketApiDeps, req: Request, agent: AgentIdentity) {
  const ticket = await tickets.getWithHistory(refOf(req));
  if (!canRead(agent, ticket)) throw new AppError('forbidden', `Ticket ${ticket.number} belongs to another agent`);
  const customer = standings ? await standings.card(ticket.customerId) : null;
  return { ...ticketView(ticket, tickets.now()), customer, events: ticket.events.map(eventView) };
}

/** POST /api/tickets/:ref/status: a move in the status machine. */
async function statusRoute({ tickets }: TicketApiDeps, req: Request, agent: AgentIdentity) {
  const body = parse(statusBodySchema, req.body);
  const ticket = await tickets.changeStatus(refOf(req), body.status, actorOf(agent), {
    reason: body.reason,
    resolutionSummary: body.resolutionSummary,
    expectedVersion: body.version,
    authorize: authorizeWrite(agent),
  });
  return ticketView(ticket, tickets.now());
}

/** POST /api/tickets/:ref/assign: to an agent, to "me", or to nobody (null). */
async function assignRoute({ tickets }: TicketApiDeps, req: Request, agent: AgentIdentity) {
  const body = parse(assignBodySchema, req.body);
  const assigneeId = body.assigneeId === 'me' ? agent.id : body.assigneeId;
  const ticket = await tickets.assign(refOf(req), assigneeId, actorOf(agent), { expectedVersion: body.version, authorize: authorizeAssign(agent, assigneeId) });
  return ticketView(ticket, tickets.now());
}

/** POST /api/tickets/:ref/comments: a reply sent to the customer. */
async function commentRoute({ tickets }: TicketApiDeps, req: Request, agent: AgentIdentity) {
  const body = parse(textBodySchema, req.body);
  const ticket = await tickets.comment(refOf(req), body.body, actorOf(agent), { expectedVersion: body.version, authorize: authorizeWrite(agent) });
  return ticketView(ticket, tickets.now());
}

/** POST /api/tickets/:ref/notes: an internal note, never sent. */
async function noteRoute({ tickets }: TicketApiDeps, req: Request, agent: AgentIdentity) {
  const body = parse(textBodySchema, req.body);
  const ticket = await tickets.note(refOf(req), body.body, actorOf(agent), { expectedVersion: body.version, authorize: authorizeWrite(agent) });
  return ticketView(ticket, tickets.now());
}
