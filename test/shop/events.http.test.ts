import { PROVIDERS } from '../support/db';
import { sh } from '../support/clock';
import { newOrder, ShopTestBot } from './support';

describe.each(PROVIDERS)('the shop\'s events over HTTP on %s', (provider) => {
  const bot = new ShopTestBot(provider);
  beforeAll(() => bot.start());
  afterAll(() => bot.stop());

  const db = () => bot.app.store.db;
  const order = (number: string) => db().order.findUniqueOrThrow({ where: { number }, include: { items: { orderBy: { sku: 'asc' } } } });

  describe('signatures', () => {
    const body = { id: 'sig-1', type: 'customer.created', occurredAt: '2026-11-26T01:00:00Z', data: { customerId: 'S-SIG', name: '签名' } };

    it('when the request is signed with the shared secret, then the event is applied', async () => {
      const res = await bot.send('/api/shop/events', body);
      expect(res).toEqual({ status: 200, json: { id: 'sig-1', status: 200, outcome: 'applied' } });
      expect((await db().customer.findUniqueOrThrow({ where: { externalId: 'S-SIG' } })).name).toBe('签名');
    });

    it('when it is signed with another key, has no signature or a changed body, then it is 401 and nothing is applied', async () => {
      const wrong = await bot.send('/api/shop/events', { ...body, id: 'sig-2' }, { secret: 'another-secret-0123456789' });
      const tampered = await bot.send('/api/shop/events', { ...body, id: 'sig-3' }, { signature: 'sha256=' + '0'.repeat(64) });
      const unsigned = await fetch(`${bot.app.url}/api/shop/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, id: 'sig-4' }) });
      expect([wrong.status, tampered.status, unsigned.status]).toEqual([401, 401, 401]);
      expect(wrong.json).toEqual({ error: 'unauthorized', message: 'The signature does not match the body and timestamp (wrong secret, or the body was changed)' });
      expect(await db().shopEvent.count({ where: { id: { in: ['sig-2', 'sig-3', 'sig-4'] } } })).toBe(0);
    });

    it('when the timestamp is more than five minutes old, then it is 401 stale', async () => {
      const stale = await bot.send('/api/shop/events', { ...body, id: 'sig-5' }, { at: new Date(bot.clock.now().getTime() - 301_000) });
      const recent = await bot.send('/api/shop/events', { ...body, id: 'sig-6' }, { at: new Date(bot.clock.now().getTime() - 299_000) });
      expect(stale.status).toBe(401);
      expect(stale.json.message).toMatch(/^The request is stale: its timestamp is 301 s/);
      expect(recent.status).toBe(200);
    });

    it('when the same signed request is sent again, then the replay is refused with 409', async () => {
      const raw = JSON.stringify({ ...body, id: 'sig-7' });
      const first = await bot.send('/api/shop/events', undefined, { raw });
      const replay = await bot.send('/api/shop/events', undefined, { raw });
      expect([first.status, replay.status]).toEqual([200, 409]);
      expect(replay.json.error).toBe('conflict');
    });
  });

  describe('each event kind', () => {
    it('when a customer is created, updated and gives consent, then Kefu holds the shop\'s data, each event once', async () => {
      const created = await bot.event('customer.created', { customerId: 'S-1001', name: '李雷', phone: '13900000000', locale: 'zh-CN' }, { id: 'c-1', occurredAt: '2026-11-26T01:00:00Z' });
      const updated = await bot.event('customer.updated', { customerId: 'S-1001', email: 'lilei@example.cn' }, { id: 'c-2', occurredAt: '2026-11-26T01:05:00Z' });
      const again = await bot.event('customer.updated', { customerId: 'S-1001', email: 'lilei@example.cn' }, { id: 'c-2', occurredAt: '2026-11-26T01:05:00Z', resend: true });
      const consent = await bot.event('customer.consent', { customerId: 'S-1001', marketing: true }, { id: 'c-3' });
      expect([created.json.outcome, updated.json.outcome, again.json.outcome, consent.json.outcome]).toEqual(['applied', 'applied', 'duplicate', 'applied']);
      expect(await db().customer.findUniqueOrThrow({ where: { externalId: 'S-1001' } })).toMatchObject({ name: '李雷', phone: '13900000000', email: 'lilei@example.cn', marketingConsent: true });
      expect(await db().customer.count({ where: { externalId: 'S-1001' } })).toBe(1);
    });

    it('when an older customer update arrives after a newer one, then the newer data stays', async () => {
      await bot.event('customer.updated', { customerId: 'S-1002', name: 'New Name' }, { occurredAt: '2026-11-26T02:00:00Z' });
      const old = await bot.event('customer.updated', { customerId: 'S-1002', name: 'Old Name' }, { occurredAt: '2026-11-26T01:00:00Z' });
      const oldConsent = await bot.event('customer.consent', { customerId: 'S-1002', marketing: true }, { occurredAt: '2026-11-26T01:00:00Z' });
      const newConsent = await bot.event('customer.consent', { customerId: 'S-1002', marketing: false }, { occurredAt: '2026-11-26T00:00:00Z' });
      expect([old.json.outcome, oldConsent.json.outcome, newConsent.json.outcome]).toEqual(['outdated', 'applied', 'outdated']);
      expect(await db().customer.findUniqueOrThrow({ where: { externalId: 'S-1002' } })).toMatchObject({ name: 'New Name', marketingConsent: true });
    });

    it('when an order goes from created to paid, shipped and delivered, then Kefu shows each state with carrier and tracking number', async () => {
      expect((await bot.event('order.created', newOrder('kf100000000001', 'S-1001'), { occurredAt: '2026-11-20T01:00:00Z' })).json.outcome).toBe('applied');
      expect((await order('KF100000000001')).status).toBe('CREATED');
      await bot.event('order.paid', { orderNumber: 'KF100000000001', paymentMethod: 'alipay' }, { occurredAt: '2026-11-20T01:10:00Z' });
      await bot.event('order.shipped', { orderNumber: 'KF100000000001', carrier: '顺丰速运', trackingNumber: 'SF1234567890' }, { occurredAt: '2026-11-21T01:00:00Z' });
      expect(await order('KF100000000001')).toMatchObject({ status: 'SHIPPED', carrier: '顺丰速运', trackingNumber: 'SF1234567890', paymentMethod: 'alipay', paidAt: new Date('2026-11-20T01:10:00Z'), total: 45700 });
      await bot.event('order.delivered', { orderNumber: 'KF100000000001' }, { occurredAt: '2026-11-22T01:00:00Z' });
      const delivered = await order('KF100000000001');
      expect(delivered).toMatchObject({ status: 'DELIVERED', deliveredAt: new Date('2026-11-22T01:00:00Z') });
      expect(delivered.items.map((i) => [i.sku, i.quantity, i.unitPrice])).toEqual([['KETTLE-1', 2, 19900], ['MUG-2', 1, 5900]]);
      const customer = await db().customer.findUniqueOrThrow({ where: { externalId: 'S-1001' } });
      expect(delivered.customerId).toBe(customer.id);
    });

    it('when the paid event arrives after the shipped one, then the order stays shipped and still learns when it was paid', async () => {
      await bot.event('order.created', newOrder('KF100000000002', 'S-NEW'), { occurredAt: '2026-11-20T01:00:00Z' });
      await bot.event('order.shipped', { orderNumber: 'KF100000000002', carrier: '京东物流', trackingNumber: 'JD0001' }, { occurredAt: '2026-11-21T01:00:00Z' });
      const late = await bot.event('order.paid', { orderNumber: 'KF100000000002' }, { occurredAt: '2026-11-20T02:00:00Z' });
      expect(late.json.outcome).toBe('outdated');
      expect(await order('KF100000000002')).toMatchObject({ status: 'SHIPPED', paidAt: new Date('2026-11-20T02:00:00Z') });
      expect(await db().customer.count({ where: { externalId: 'S-NEW' } })).toBe(1);
    });

    it('when items are returned and refunded one by one, then each item keeps its count and the order is returned once all are back', async () => {
      await bot.event('order.created', newOrder('KF100000000003', 'S-1001'), { occurredAt: '2026-11-20T01:00:00Z' });
      await bot.event('order.delivered', { orderNumber: 'KF100000000003' }, { occurredAt: '2026-11-22T01:00:00Z' });
      const mug = await bot.event('order.refunded', { orderNumber: 'KF100000000003', items: [{ sku: 'MUG-2', quantity: 1, amount: 5900 }] }, { id: 'r-1' });
      const mugAgain = await bot.event('order.refunded', { orderNumber: 'KF100000000003', items: [{ sku: 'MUG-2', quantity: 1, amount: 5900 }] }, { id: 'r-1', resend: true });
      expect([mug.json.outcome, mugAgain.json.outcome]).toEqual(['applied', 'duplicate']);
      let o = await order('KF100000000003');
      expect([o.status, o.refundedTotal, o.items.map((i) => i.returnedQuantity)]).toEqual(['DELIVERED', 5900, [0, 1]]);
      await bot.event('order.refunded', { orderNumber: 'KF100000000003', items: [{ sku: 'KETTLE-1', quantity: 2, amount: 39800 }] });
      o = await order('KF100000000003');
      expect([o.status, o.refundedTotal, o.items.map((i) => i.returnedQuantity)]).toEqual(['RETURNED', 45700, [2, 1]]);
    });

    it('when an order is cancelled, then it is cancelled', async () => {
      await bot.event('order.created', newOrder('KF100000000004', 'S-1001'), { occurredAt: '2026-11-20T01:00:00Z' });
      await bot.event('order.cancelled', { orderNumber: 'KF100000000004', reason: 'customer changed mind' }, { occurredAt: sh('2026-11-20T10:00:00').toISOString() });
      expect(await order('KF100000000004')).toMatchObject({ status: 'CANCELLED', cancelledAt: sh('2026-11-20T10:00:00') });
    });
  });

  describe('bad events', () => {
    it('when an event is malformed, unknown, or about an unknown order, then it is 4xx with the reason and nothing is stored', async () => {
      const unknownType = await bot.event('order.teleported', { orderNumber: 'KF100000000001' }, { id: 'bad-1' });
      const noTracking = await bot.event('order.shipped', { orderNumber: 'KF100000000001', carrier: 'SF' }, { id: 'bad-2' });
      const wrongTotal = await bot.event('order.created', { ...newOrder('KF100000000009', 'S-1001'), total: 1 }, { id: 'bad-3' });
      const unknownOrder = await bot.event('order.paid', { orderNumber: 'KF999999999999' }, { id: 'bad-4' });
      expect([unknownType.status, noTracking.status, wrongTotal.status, unknownOrder.status]).toEqual([400, 400, 400, 404]);
      expect(unknownType.json.message).toMatch(/^type: unknown event type "order.teleported"; known: customer.created/);
      expect(noTracking.json.message).toMatch(/^data.trackingNumber: /);
      expect(wrongTotal.json.message).toBe('data.total: 1 is not items (45700) + shippingFee (0) - discount (0)');
      expect(unknownOrder.json.message).toBe('Order KF999999999999 is not known: send its order.created event first');
      expect(await db().shopEvent.count({ where: { id: { startsWith: 'bad-' } } })).toBe(0);
      expect(await db().order.count({ where: { number: 'KF100000000009' } })).toBe(0);
    });

    it('when a refund would return more than was ordered, then nothing of it is applied, not even its valid lines', async () => {
      await bot.event('order.created', newOrder('KF100000000005', 'S-1001'));
      const res = await bot.event('order.refunded', { orderNumber: 'KF100000000005', items: [{ sku: 'MUG-2', quantity: 1, amount: 5900 }, { sku: 'KETTLE-1', quantity: 3, amount: 100 }] });
      expect(res.status).toBe(400);
      expect(res.json.message).toBe('data.items: KETTLE-1: 3 more returned would make 3 of 2 ordered');
      const o = await order('KF100000000005');
      expect([o.refundedTotal, o.items.map((i) => i.returnedQuantity)]).toEqual([0, [0, 0]]);
    });

    it('when a batch holds one bad event among good ones, then only the bad one is refused', async () => {
      const res = await bot.send('/api/shop/events/batch', {
        events: [
          { id: 'b-1', type: 'customer.created', occurredAt: '2026-11-26T01:00:00Z', data: { customerId: 'S-B1' } },
          { id: 'b-2', type: 'customer.created', occurredAt: 'yesterday', data: { customerId: 'S-B2' } },
          { id: 'b-3', type: 'customer.created', occurredAt: '2026-11-26T01:00:00Z', data: { customerId: 'S-B3' } },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.json.results!.map((r) => [r.id, r.status, r.outcome ?? r.error])).toEqual([['b-1', 200, 'applied'], ['b-2', 400, 'invalid_request'], ['b-3', 200, 'applied']]);
      expect(res.json.results![1]!.message).toMatch(/^occurredAt: /);
      expect(await db().customer.count({ where: { externalId: { in: ['S-B1', 'S-B2', 'S-B3'] } } })).toBe(2);
    });

    it('when many single events arrive at once, one of them bad, then each request gets its own answer and only the bad one is refused', async () => {
      const numbers = Array.from({ length: 12 }, (_, i) => `KF1200000000${String(i).padStart(2, '0')}`);
      const sent = await Promise.all(numbers.map((n, i) => bot.event('order.created', { ...newOrder(n, `S-C${i % 3}`), ...(i === 5 ? { total: 2 } : {}) }, { id: `conc-${n}` })));
      expect(sent.map((r) => r.status)).toEqual(numbers.map((_, i) => (i === 5 ? 400 : 200)));
      expect(sent.map((r) => r.json.id)).toEqual(numbers.map((n) => `conc-${n}`));
      expect(sent[5]!.json.message).toBe('data.total: 2 is not items (45700) + shippingFee (0) - discount (0)');
      expect(await db().order.count({ where: { number: { in: numbers } } })).toBe(11);
      expect(await db().customer.count({ where: { externalId: { in: ['S-C0', 'S-C1', 'S-C2'] } } })).toBe(3);
    });
  });
});
