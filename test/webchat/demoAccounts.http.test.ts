import { startWebChatApp, type WebChatTestApp } from '../directline/support';

/*
 * The demo page's account picker says what each demo account lets a visitor try: its tier, orders
 * not shipped yet (cancel, change the address), orders on the way, a delivery still returnable.
 */
describe('the demo accounts in the shop page picker', () => {
  let t: WebChatTestApp;
  beforeAll(async () => {
    t = await startWebChatApp('demoaccounts');
  }, 60_000);
  afterAll(() => t?.stop());

  const options = async (lang: string) => {
    const html = await (await fetch(`${t.app.url}/?lang=${lang}`)).text();
    return new Map([...html.matchAll(/<option value="(C\d+)">([^<]*)<\/option>/g)].map((m) => [m[1]!, m[2]!]));
  };

  test('when a visitor opens the page, then each demo account is labelled with its tier and what its orders allow, in the page language', async () => {
    const db = t.app.store.db;
    const zh = await options('zh-CN');
    const en = await options('en-US');
    expect(zh.size).toBeGreaterThan(5);
    const customers = await db.customer.findMany({ where: { externalId: { in: [...zh.keys()] } }, select: { externalId: true, name: true, tier: true, orders: { select: { status: true } } } });
    const withOpen = customers.find((c) => c.orders.some((o) => o.status === 'PAID' || o.status === 'CREATED'))!;
    const open = withOpen.orders.filter((o) => o.status === 'PAID' || o.status === 'CREATED').length;
    const tierZh = { SILVER: '白银', GOLD: '黄金', DIAMOND: '钻石' }[withOpen.tier];
    expect(zh.get(withOpen.externalId!)).toContain(`${withOpen.externalId} · ${withOpen.name} · ${tierZh}会员 · `);
    expect(zh.get(withOpen.externalId!)).toContain(`${open} 单待发货（可取消、改地址）`);
    expect(en.get(withOpen.externalId!)).toContain(`${open} open order(s): cancel, change address`);
    const shipped = customers.find((c) => c.orders.some((o) => o.status === 'SHIPPED'))!;
    expect(en.get(shipped.externalId!)).toContain(`${shipped.orders.filter((o) => o.status === 'SHIPPED').length} on the way`);
  });
});
