import type { Request, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { Staff } from '../../staff';
import { TICKET_CATEGORIES } from '../tickets';
import { MAX_AGENT_MESSAGE } from './api';
import { MAX_TICKET_SUMMARY, type CaseWork } from './caseWork';

const noteSchema = z.object({ text: z.string().trim().min(1) }).strict();
const ticketSchema = z
  .object({
    category: z.enum(TICKET_CATEGORIES),
    summary: z.string().trim().min(1).max(MAX_TICKET_SUMMARY),
    /** An open ticket of the chat's customer to add the summary to, instead of a new one. */
    number: z.string().trim().min(1).max(40).optional(),
  })
  .strict();

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new AppError('invalid_request', result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return result.data;
}

const idOf = (req: Request) => String((req.params as Record<string, string>).id ?? '');

/**
 * The case work of a live chat (its agent, or a supervisor; another agent gets 403):
 *   POST /agent/api/chats/:id/notes         {text} an internal note, never sent to the customer; 201
 *   GET  /agent/api/chats/:id/ticket-draft  the ticket form prefilled from the chat, with the customer's open tickets
 *   POST /agent/api/chats/:id/ticket        {category, summary, number?} a new ticket (201), or a note on ticket `number` (200)
 */
export function registerCaseApi(server: Server, deps: { staff: Staff; work: CaseWork }): void {
  const agents = deps.staff.requireStaff('chats.handle');

  server.post(
    '/agent/api/chats/:id/notes',
    agents(async (req, res, auth) => {
      const { text } = parse(noteSchema, req.body);
      if (text.length > MAX_AGENT_MESSAGE) throw new AppError('too_large', `a note has at most ${MAX_AGENT_MESSAGE} characters (this one ${text.length})`);
      const note = await deps.work.addNote(idOf(req), auth.member, text);
      res.status(201);
      res.json({ note });
    }),
  );

  server.get('/agent/api/chats/:id/ticket-draft', agents(async (req, _res, auth) => deps.work.ticketDraft(idOf(req), auth.member)));

  server.post(
    '/agent/api/chats/:id/ticket',
    agents(async (req, res, auth) => {
      const body = parse(ticketSchema, req.body);
      const ticket = await deps.work.ticket(idOf(req), auth.member, body);
      res.status(ticket.created ? 201 : 200);
      res.json({ ticket });
    }),
  );
}
