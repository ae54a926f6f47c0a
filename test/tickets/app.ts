import type { Provider } from '../../src/store/db';
import type { TicketsFeature } from '../../src/features/tickets';
import { TestBot } from '../support/harness';

export interface EventJson {
  type: string;
  actor: { type: string; id: string | null };
  fromStatus: string | null;
  toStatus: string | null;
  body: string | null;
}

export interface TicketJson {
  id: string;
  number: string;
  status: string;
  category: string;
  priority: string;
  ownerId: string | null;
  assigneeId: string | null;
  dueAt: string | null;
  overdue: boolean;
  version: number;
  resolutionSummary: string | null;
  events?: EventJson[];
}

/** What the ticket API answers: a ticket, a page of tickets, or an error. */
export interface ApiJson extends Partial<TicketJson> {
  error?: string;
  message?: string;
  items?: TicketJson[];
  hasMore?: boolean;
  page?: number;
}

/** The real app (SLA watch off: tests run it by hand), and its tickets feature. */
export class TicketsTestBot extends TestBot {
  constructor(provider: Provider, overrides: Record<string, string> = {}) {
    super(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', ...overrides });
  }

  /** The running app's tickets feature (its service, agents, calendar, notifier). */
  get module(): TicketsFeature {
    return this.app.features.tickets;
  }

  async api(method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<{ status: number; json: ApiJson }> {
    const res = await fetch(`${this.app.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as ApiJson };
  }
}
