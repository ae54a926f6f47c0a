import { EventDispatcher, retryDelayMs } from '../../src/events/dispatcher';
import { LocalBroadcast } from '../../src/events/broadcast';
import { createLogger } from '../../src/logger';
import { call, staffOfEveryRole } from '../audit/support';
import { openConsoleSocket } from '../handoff/support';
import { PROVIDERS } from '../support/db';
import { waitUntil } from '../support/wait';
import { StaffBrowser } from '../staff/support';
import { cancelInChat, FakeShop, ShopTestBot } from './support';

interface Item {
  id: string;
  type: string;
  state: string;
  orderNumber: string | null;
  ticketNumber: string | null;
  customerId: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  since: string;
}

/*
 * Issue 18: the shop's webhooks that do not get through are visible to agents (an API and a page),
 * supervisors send them again with a reason, and the console alerts the supervisors when one is given up.
 */
describe.each(PROVIDERS)('stuck webhooks to the shop, for staff (%s store)', (provider) => {
  const shop = new FakeShop();
  let bot: ShopTestBot;
  let staff: Record<string, { id: string; token: string }>;
  const browsers: Record<string, StaffBrowser> = {};

  beforeAll(async () => {
    await shop.start();
    bot = new ShopTestBot(provider, { SHOP_WEBHOOK_URL: shop.url, EVENTS_DISPATCH_ENABLED: 'false', EVENTS_MAX_ATTEMPTS: '3' });
    await bot.start();
    staff = await staffOfEveryRole(bot, ['agent', 'supervisor']);
    for (const login of ['agent', 'supervisor']) {
      browsers[login] = new StaffBrowser(bot);
      await browsers[login].signIn(login, 'a-long-password-1');
    }
  }, 60_000);
  afterAll(async () => {
    await bot.stop();
    await shop.stop();
  });

  /** The app's outbox, delivered on the test's clock, giving up after the app's EVENTS_MAX_ATTEMPTS. */
  const deliver = () =>
    new EventDispatcher({ db: bot.app.store.db, provider, events: bot.app.events, broadcast: new LocalBroadcast(), logger: createLogger('silent') }, { clock: bot.clock.now, maxAttempts: bot.app.config.EVENTS_MAX_ATTEMPTS }).runUntilIdle();
  const advance = (ms: number) => bot.clock.set(new Date(bot.clock.now().getTime() + ms));
  const list = async (state: string, token = staff.agent.token) => {
    const res = await call(bot, 'GET', `/staff/api/shop/webhooks?state=${state}`, token);
    expect(res.status).toBe(200);
    return res.json.items as Item[];
  };

  it('when the shop is down, then the cancellation shows as failing with its last error; after the last attempt it is dead and the supervisors are alerted; a supervisor sends it again with a reason and the shop gets it once', async () => {
    shop.down = true;
    const since = bot.clock.now();
    expect((await cancelInChat(bot, 'S-3001', 'KF300000000001'))[0]).toContain('已提交订单 KF300000000001 的取消申请');
    await deliver();

    const [failing] = await list('failing');
    expect(failing).toMatchObject({
      type: 'order.cancel_requested',
      state: 'failing',
      orderNumber: 'KF300000000001',
      ticketNumber: null,
      customerId: 'S-3001',
      attempts: 1,
      lastError: 'the shop answered 500',
      nextAttemptAt: new Date(since.getTime() + retryDelayMs(1)).toISOString(),
      since: since.toISOString(),
    });
    expect(await list('dead')).toEqual([]);
    const page = await browsers.agent.request('GET', '/staff/webhooks?lang=en-US&state=failing');
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.text).toContain(`<tr data-id="${failing.id}">`);
    expect(page.text).toContain('Order KF300000000001');
    expect(page.text).toContain('Customer S-3001');
    expect(page.text).toContain('<code>order.cancel_requested</code>');
    expect(page.text).toMatch(/<td class="state">Failing<\/td><td class="attempts">1<\/td><td class="error">the shop answered 500/);
    expect(page.text).toContain('A supervisor or an administrator can send it again.'); // an agent reads, no retry form
    expect(page.text).not.toContain('<form class="retry"');

    const wang = await openConsoleSocket(bot, browsers.supervisor);
    const lin = await openConsoleSocket(bot, browsers.agent);
    try {
      advance(retryDelayMs(1));
      await deliver();
      advance(retryDelayMs(2));
      await deliver(); // the third attempt of three: given up
      expect(shop.received.map((r) => r.status)).toEqual([500, 500, 500]);
      expect(await list('failing')).toEqual([]);
      const [dead] = await list('dead');
      expect(dead).toMatchObject({ id: failing.id, state: 'dead', attempts: 3, lastError: 'the shop answered 500', nextAttemptAt: null, orderNumber: 'KF300000000001' });
      expect((await list('all')).map((w) => w.id)).toEqual([failing.id]);
      const zh = await browsers.supervisor.request('GET', '/staff/webhooks?lang=zh-CN');
      expect(zh.text).toMatch(/<td class="state dead">已放弃<\/td><td class="attempts">3<\/td>/);
      expect(zh.text).toContain('订单 KF300000000001');
      expect(zh.text).toContain('立即重发');

      await deliver(); // the "given up" event, to the console
      await waitUntil(() => wang.received.some((m) => m.kind === 'alert'), 'the alert on the supervisor\'s console');
      expect(wang.received.filter((m) => m.kind === 'alert')).toEqual([
        expect.objectContaining({ alert: { kind: 'webhook_dead', number: 'KF300000000001', text: 'order.cancel_requested' } }),
      ]);
      expect(lin.received.some((m) => m.kind === 'alert')).toBe(false); // agents are not alerted
    } finally {
      wang.ws.close();
      lin.ws.close();
    }

    // An agent may read but not send again; a supervisor must say why.
    expect((await call(bot, 'POST', `/staff/api/shop/webhooks/${failing.id}/retry`, staff.agent.token, { reason: '商家系统已恢复' })).status).toBe(403);
    expect((await browsers.agent.request('POST', `/staff/api/shop/webhooks/${failing.id}/retry`, { reason: '商家系统已恢复' })).status).toBe(403);
    const noReason = await call(bot, 'POST', `/staff/api/shop/webhooks/${failing.id}/retry`, staff.supervisor.token, {});
    expect(noReason.status).toBe(400);
    expect(noReason.json.message).toContain('reason');
    expect((await call(bot, 'POST', `/staff/api/shop/webhooks/${failing.id}/retry`, staff.supervisor.token, { reason: '  ' })).status).toBe(400);
    expect((await list('dead')).map((w) => w.attempts)).toEqual([3]);
    expect(await bot.app.store.db.auditLog.count({ where: { action: 'shop.webhook_retry' } })).toBe(0);

    shop.down = false;
    const retried = await call(bot, 'POST', `/staff/api/shop/webhooks/${failing.id}/retry`, staff.supervisor.token, { reason: '商家系统已恢复' });
    expect(retried.status).toBe(200);
    expect(await bot.app.store.db.auditLog.findMany({ where: { action: 'shop.webhook_retry' }, select: { actorId: true, entityId: true, reason: true } })).toEqual([
      { actorId: staff.supervisor.id, entityId: failing.id, reason: '商家系统已恢复' },
    ]);
    await deliver();
    expect(shop.taken()).toEqual(['order.cancel_requested KF300000000001']);
    expect(await list('all')).toEqual([]);
    expect((await bot.app.store.db.eventDelivery.findUniqueOrThrow({ where: { id: failing.id } })).status).toBe('DONE');

    // Delivered: a second retry is refused, and nothing is sent again.
    expect((await call(bot, 'POST', `/staff/api/shop/webhooks/${failing.id}/retry`, staff.supervisor.token, { reason: '再发一次' })).status).toBe(409);
    advance(retryDelayMs(10));
    await deliver();
    expect(shop.taken()).toEqual(['order.cancel_requested KF300000000001']);
  }, 60_000);

  it('when a supervisor sends a failing webhook again on the page, then it is sent at once, not twice; without a reason the page says why', async () => {
    shop.down = true;
    await cancelInChat(bot, 'S-3002', 'KF300000000002');
    await deliver();
    const [failing] = await list('failing');
    expect(failing).toMatchObject({ orderNumber: 'KF300000000002', attempts: 1 });

    const form = (fields: Record<string, string>) =>
      fetch(`${bot.app.url}/staff/webhooks/${failing.id}/retry?lang=en-US`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: browsers.supervisor.cookie, origin: bot.app.url, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const refused = await form({ csrf: browsers.supervisor.csrf, state: 'failing', reason: '' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Write why you send it again');
    const stale = await form({ csrf: 'not-the-token', state: 'failing', reason: 'the shop is back' });
    expect(stale.status).toBe(403);

    shop.down = false;
    const sent = await form({ csrf: browsers.supervisor.csrf, state: 'failing', reason: 'the shop is back' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/staff/webhooks?lang=en-US&state=failing&done=${failing.id}`);
    expect((await browsers.supervisor.request('GET', sent.headers.get('location')!)).text).toContain(`Webhook ${failing.id} is queued again`);
    await deliver(); // due now, not after its backoff
    expect(shop.taken()).toContain('order.cancel_requested KF300000000002');
    advance(retryDelayMs(10));
    await deliver();
    expect(shop.taken().filter((t) => t.endsWith('KF300000000002'))).toHaveLength(1);
    expect((await browsers.supervisor.request('GET', '/staff/webhooks?lang=en-US')).text).toContain('No webhook is stuck');
  }, 60_000);

  it('when the state filter is not one of failing, dead or all, then the API answers 400', async () => {
    expect((await call(bot, 'GET', '/staff/api/shop/webhooks?state=stuck', staff.agent.token)).status).toBe(400);
  });
});
