import type { ModuleContext } from '../../src/modules';
import type { Provider } from '../../src/store/db';
import { ticketsModule, type TicketsModule } from '../../src/tickets/module';
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

/** The real app with the tickets module (SLA watch off: tests run it by hand), and the module's services. */
export class TicketsTestBot extends TestBot {
  module!: TicketsModule;

  constructor(provider: Provider, overrides: Record<string, string> = {}) {
    const holder: { module?: TicketsModule } = {};
    super(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', ...overrides }, {
      modules: [
        (ctx: ModuleContext) => {
          holder.module = ticketsModule(ctx);
          return holder.module;
        },
      ],
    });
    this.holder = holder;
  }

  private readonly holder: { module?: TicketsModule };

  override async start(): Promise<this> {
    await super.start();
    if (!this.holder.module) throw new Error('tickets module not wired');
    this.module = this.holder.module;
    return this;
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
