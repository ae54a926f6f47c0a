import { startApp, type App } from '../../src/app';
import { renderBanner, type BannerContext } from '../../src/startup/banner';
import type { DemoCustomerHighlight } from '../../src/store/seed';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testConfig } from '../support/harness';

const NOW = new Date('2026-11-30T04:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

describe('the start banner, from what the features report', () => {
  let database: TestDatabase;
  let app: App | undefined;
  beforeEach(async () => {
    database = await createTestDatabase('sqlite', 'banner');
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await database.drop();
  });

  test('when the demo shop is loaded, then the banner lists the six demo customers of the page, the shop page, console, dashboard and ticket API URLs, and the demo staff who can sign in; another agent is counted', async () => {
    app = await startApp(testConfig(database.url, { DB_SEED_ON_START: 'true' }), { clock: () => NOW, demoSeed: 'rows' });
    const banner = await app.banner();
    expect(banner[0]).toBe(`Kefu is ready at ${app.url}`);
    expect(banner.filter((l) => /^ {2}C\d{4} /.test(l)).map((l) => l.trim().slice(0, 5))).toEqual(['C1001', 'C1002', 'C1003', 'C1004', 'C1005', 'C1006']);
    expect(banner.some((l) => l.includes(`${app!.url}/ `) && l.includes('Shop page'))).toBe(true);
    expect(banner.some((l) => l.includes(`${app!.url}/api/tickets`))).toBe(true);
    expect(banner.some((l) => l.includes(`${app!.url}/agent `) && l.includes('Agent console'))).toBe(true);
    expect(banner.some((l) => l.includes(`${app!.url}/dashboard `) && l.includes('dashboard'))).toBe(true);
    expect(banner).toContain('Demo staff (demo data only), password kefu-demo-2026: agent, supervisor, manager, crm-head, auditor, admin');
    expect((await app.staff.accounts.signIn('manager', 'kefu-demo-2026')).member.role).toBe('manager');
    expect(banner.some((l) => l.startsWith('Staff: 6 agents of the ticket API'))).toBe(true);

    await app.features.tickets.agents.create({ name: 'Lin', role: 'supervisor' });
    expect((await app.banner()).some((l) => l.startsWith('Staff: 7 agents of the ticket API'))).toBe(true);
  });

  test('when SHOP_IDENTITY_SECRET is set and the demo page is off, then the banner offers no demo customers and no shop page', async () => {
    app = await startApp(
      testConfig(database.url, { DB_SEED_ON_START: 'true', SHOP_IDENTITY_SECRET: 'a-real-shop-secret-of-at-least-32-chars!', WEBCHAT_DEMO_PAGE: 'false' }),
      { clock: () => NOW, demoSeed: 'rows' },
    );
    const banner = await app.banner();
    expect(banner.filter((l) => /C1001|Demo customers/.test(l))).toEqual([]);
    expect(banner.filter((l) => l.includes('Shop page'))).toEqual([]);
    expect(banner.some((l) => l.includes(`${app!.url}/webchat/embed.js`))).toBe(true);
  });
});

describe('renderBanner', () => {
  const ctx: BannerContext = { url: 'http://127.0.0.1:3978', databaseUrl: 'file:./data/kefu.db', now: NOW, returnWindowDays: 7 };
  const customer = (over: Partial<DemoCustomerHighlight>): DemoCustomerHighlight => ({
    externalId: 'C1001', name: '朱敏', locale: 'zh-CN', tier: 'GOLD', points: 2484, openOrders: 0, shippedOrders: 0, lastDeliveredAt: null, ...over,
  });
  const lineOf = (c: DemoCustomerHighlight, context = ctx) => renderBanner([{ kind: 'demoCustomers', customers: [c] }], context).find((l) => l.startsWith('  C1001'));

  test('when a demo customer had an order delivered within the return window, then the banner suggests a return and says when it was delivered', () => {
    expect(lineOf(customer({ lastDeliveredAt: new Date(NOW.getTime() - 3 * DAY - 1000) }))).toContain('return or exchange (delivered 3 days ago)');
    expect(lineOf(customer({ lastDeliveredAt: new Date(NOW.getTime() - 10 * DAY) }))).toContain('repair (return window over)');
    expect(lineOf(customer({ lastDeliveredAt: new Date(NOW.getTime() - 10 * DAY) }), { ...ctx, returnWindowDays: 14 })).toContain('delivered 10 days ago');
  });

  test('when a demo customer has a parcel on its way and an unshipped order, then the banner suggests tracking it, cancelling and changing the address', () => {
    const line = lineOf(customer({ shippedOrders: 1, openOrders: 2 }));
    expect(line).toContain('track a parcel');
    expect(line).toContain('cancel an order or change its address');
    expect(line).toContain('points (gold, 2484)');
  });

  test('when the store is PostgreSQL, then the banner names host, port, database and user, never the password', () => {
    const lines = renderBanner([], { ...ctx, databaseUrl: 'postgresql://kefu:pa55-word@db.example:6543/shop' });
    expect(lines).toContain('Data: PostgreSQL database "shop" on db.example:6543, user kefu');
    expect(lines.join('\n')).not.toContain('pa55-word');
  });

  test('when the store is SQLite, then the banner gives the absolute path of its file and how to switch to PostgreSQL', () => {
    const lines = renderBanner([], ctx);
    expect(lines).toContain(`Data: SQLite file ${process.cwd()}/data/kefu.db`);
    expect(lines.some((l) => l.includes('DATABASE_URL=postgresql://'))).toBe(true);
  });
});
