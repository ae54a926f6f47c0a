import { PERMISSIONS, STAFF_ROLES, can, type Permission, type StaffRole } from '../../src/staff';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { StaffBrowser } from '../staff/support';
import { call, staffOfEveryRole } from './support';

/**
 * Every staff route, with the permission it needs (undefined: any signed-in staff member) and how it
 * is called: 'session' (a signed-in browser, CSRF header on POST) or 'token' (the ticket and loyalty
 * APIs' bearer tokens). The test also checks that no staff route of the server is missing here.
 */
const ROUTES: [method: string, path: string, permission: Permission | undefined, via: 'session' | 'token', body?: unknown][] = [
  ['GET', '/staff/api/me', undefined, 'session'],
  ['GET', '/agent', 'chats.read', 'session'],
  ['POST', '/agent/api/presence', 'chats.handle', 'session', { status: 'offline' }],
  ['GET', '/agent/api/queue', 'chats.read', 'session'],
  ['GET', '/agent/api/chats', 'chats.read', 'session'],
  ['GET', '/agent/api/chats/nope', 'chats.read', 'session'],
  ['POST', '/agent/api/chats/nope/accept', 'chats.handle', 'session', {}],
  ['POST', '/agent/api/chats/nope/messages', 'chats.handle', 'session', { text: 'hi' }],
  ['POST', '/agent/api/chats/nope/end', 'chats.handle', 'session', {}],
  ['POST', '/agent/api/chats/nope/transfer', 'chats.handle', 'session', { queue: 'general' }],
  ['POST', '/agent/api/chats/nope/takeover', 'chats.takeover', 'session', {}],
  ['POST', '/agent/api/chats/nope/watch', 'chats.watch', 'session', {}],
  ['POST', '/agent/api/chats/nope/typing', 'chats.handle', 'session', {}],
  ['POST', '/agent/api/chats/nope/notes', 'chats.handle', 'session', { text: 'a note' }],
  ['GET', '/agent/api/chats/nope/ticket-draft', 'chats.handle', 'session'],
  ['POST', '/agent/api/chats/nope/ticket', 'chats.handle', 'session', { category: 'consultation', summary: 'from the chat' }],
  ['GET', '/agent/api/canned', 'chats.read', 'session'],
  ['GET', '/dashboard', 'dashboard.read', 'session'],
  ['GET', '/dashboard/conversations/nope', 'dashboard.read', 'session'],
  ['GET', '/dashboard/api/report', 'dashboard.read', 'session'],
  ['GET', '/dashboard/export.csv?table=trend', 'dashboard.read', 'session'],
  ['GET', '/dashboard/rows?figure=surveys', 'dashboard.read', 'session'],
  ['GET', '/dashboard/api/rows?figure=tickets', 'dashboard.read', 'session'],
  ['GET', '/dashboard/api/conversations/nope', 'dashboard.read', 'session'],
  ['GET', '/dashboard/api/agents', 'dashboard.all', 'session'],
  ['GET', '/api/tickets', 'tickets.read', 'token'],
  ['GET', '/api/tickets/T000', 'tickets.read', 'token'],
  ['POST', '/api/tickets/T000/status', 'tickets.write', 'token', { status: 'OPEN' }],
  ['POST', '/api/tickets/T000/assign', 'tickets.write', 'token', { assigneeId: null }],
  ['POST', '/api/tickets/T000/comments', 'tickets.write', 'token', { body: 'hello' }],
  ['POST', '/api/tickets/T000/notes', 'tickets.write', 'token', { body: 'hello' }],
  ['GET', '/api/loyalty/customers/nope', 'points.read', 'token'],
  ['POST', '/api/loyalty/customers/nope/adjustments', 'points.adjust', 'token', { delta: 5, reason: 'goodwill' }],
  ['GET', '/staff/api/change-requests', 'changes.read', 'session'],
  ['POST', '/staff/api/change-requests', 'changes.request', 'session', { customerId: 'nope', kind: 'export', reason: 'asked by phone' }],
  ['GET', '/staff/api/change-requests/nope', 'changes.read', 'session'],
  ['POST', '/staff/api/change-requests/nope/supervisor', 'changes.approve.supervisor', 'session', { decision: 'approve', reason: 'checked' }],
  ['POST', '/staff/api/change-requests/nope/crm-head', 'changes.approve.crm_head', 'session', { decision: 'approve', reason: 'checked' }],
  ['POST', '/staff/api/change-requests/nope/execute', 'changes.execute', 'session', { decision: 'approve', reason: 'checked' }],
  ['GET', '/staff/api/change-requests/nope/export', 'changes.execute', 'session'],
  ['GET', '/staff/audit', 'audit.read', 'session'],
  ['GET', '/staff/changes', 'changes.read', 'session'],
  ['POST', '/staff/changes/nope', 'changes.read', 'session', {}],
  ['GET', '/staff/audit/export.csv', 'audit.read', 'session'],
  ['GET', '/staff/api/audit', 'audit.read', 'session'],
  ['GET', '/staff/api/shop/webhooks', 'shop.webhooks.read', 'session'],
  ['POST', '/staff/api/shop/webhooks/nope/retry', 'shop.webhooks.retry', 'session', { reason: 'the shop is back' }],
  ['GET', '/staff/webhooks', 'shop.webhooks.read', 'session'],
  ['POST', '/staff/webhooks/nope/retry', 'shop.webhooks.retry', 'session', {}],
  ['GET', '/segments/api/customers/nope', 'segments.read', 'session'],
  ['POST', '/segments/api/recompute', 'segments.recompute', 'session', {}],
  ['POST', '/staff/api/signout', undefined, 'session', {}],
];

/** Routes under the staff prefixes that need no staff sign-in (the sign-in itself, the console's static files). */
const PUBLIC = new Set(['GET /staff/signin', 'POST /staff/api/signin', 'GET /agent/console.js', 'GET /agent/console.css']);
const STAFF_PREFIXES = ['/staff', '/agent', '/dashboard', '/segments', '/api/tickets', '/api/loyalty'];

describe.each(PROVIDERS)('the role matrix: every staff route with every role (%s)', (provider) => {
  const bot = new TestBot(provider);
  let accounts: Record<string, { id: string; token: string }>;
  const browsers = new Map<StaffRole, StaffBrowser>();

  beforeAll(async () => {
    await bot.start();
    accounts = await staffOfEveryRole(bot, STAFF_ROLES);
    for (const role of STAFF_ROLES) {
      const browser = new StaffBrowser(bot);
      expect((await browser.signIn(role.replace('_', '-'), 'a-long-password-1')).status).toBe(200);
      browsers.set(role, browser);
    }
  });
  afterAll(() => bot.stop());

  test('when the server lists its routes, then every staff route is in the matrix', () => {
    const routes = Object.values(bot.app.http.server.getDebugInfo().routes as { method: string; path: string }[])
      .filter((r) => STAFF_PREFIXES.some((p) => r.path.startsWith(p)))
      .map((r) => `${r.method.toUpperCase()} ${r.path.replace(/:\w+/g, ':x')}`)
      .filter((r) => !PUBLIC.has(r));
    const covered = new Set(ROUTES.map(([m, p]) => `${m} ${p.split('?')[0].replace(/\/(nope|T000)(?=\/|$)/g, '/:x')}`));
    expect(routes.filter((r) => !covered.has(r))).toEqual([]);
    expect(Object.keys(PERMISSIONS).filter((p) => !ROUTES.some((r) => r[2] === p))).toEqual([]);
  });

  test.each(STAFF_ROLES.map((r) => [r]))('when the role %s calls every staff route, then each answers 403 exactly where the table denies the role', async (role) => {
    const outcome: string[] = [];
    const expected: string[] = [];
    for (const [method, path, permission, via, body] of ROUTES) {
      if (path === '/staff/api/signout') continue;
      const res = via === 'token' ? await call(bot, method, path, accounts[role].token, body) : await browsers.get(role)!.request(method, path, body);
      const allowed = can(role, permission);
      expected.push(`${method} ${path} ${allowed ? 'allowed' : 403}`);
      outcome.push(`${method} ${path} ${res.status === 403 ? 403 : res.status === 401 || res.status >= 500 ? `status ${res.status}` : 'allowed'}`);
    }
    expect(outcome).toEqual(expected);
  });
});
