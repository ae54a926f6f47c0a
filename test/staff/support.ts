import { CSRF_HEADER, type StaffRole } from '../../src/staff';
import type { TestBot } from '../support/harness';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
  text: string;
}

/** A browser of one staff member: keeps the session cookie and sends the CSRF header, like the console does. */
export class StaffBrowser {
  cookie = '';
  csrf = '';

  constructor(
    private readonly bot: TestBot,
    private readonly origin?: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const res = await fetch(`${this.bot.app.url}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { [CSRF_HEADER]: this.csrf } : {}),
        ...(this.origin ? { origin: this.origin } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown>;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = {};
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  /** Signs in; keeps the cookie and the CSRF token on success. */
  async signIn(login: string, password: string): Promise<HttpAnswer> {
    const answer = await this.request('POST', '/staff/api/signin', { login, password });
    const setCookie = answer.headers.get('set-cookie');
    if (answer.status === 200 && setCookie) {
      this.cookie = setCookie.split(';')[0];
      this.csrf = String(answer.json.csrfToken);
    }
    return answer;
  }
}

/** Creates a staff account with a login and a password (and its API token). */
export async function createStaffAccount(bot: TestBot, input: { name: string; role: StaffRole; login: string; password: string }): Promise<{ id: string; token: string }> {
  const { agent, token } = await bot.app.features.tickets.agents.create({ name: input.name, role: input.role });
  await bot.app.staff.accounts.setPassword(agent.id, input.login, input.password);
  return { id: agent.id, token };
}
