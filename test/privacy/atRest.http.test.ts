import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { CustomerService } from '../../src/crm/customers';
import { EventLog } from '../../src/events/eventLog';
import { sqliteFilePath } from '../../src/store/connection';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

/*
 * Acceptance (issue 17): after a conversation in which a customer gives a phone, an e-mail and an
 * address, none of them is in clear text anywhere in the database (the SQLite file as bytes, or a
 * pg_dump of the PostgreSQL database), and the bot still finds the customer by phone.
 */
const PHONE = '13912345678';
const EMAIL = 'zhang.wei.secret@example.com';
const ADDRESS = '杭州市西湖区保俶路秘密小区8幢';

/** Everything the database holds, as text: the SQLite file (after the store closed and checkpointed its WAL) or a pg_dump. */
function dump(bot: TestBot): string {
  if (bot.provider === 'sqlite') {
    const file = sqliteFilePath(bot.database.url);
    return [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('utf8')).join('\n');
  }
  const u = new URL(bot.database.url);
  return execFileSync('pg_dump', ['-h', u.hostname, '-p', u.port || '5432', '-U', u.username || 'postgres', '--no-owner', u.pathname.slice(1)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

describe.each(PROVIDERS)('personal data at rest (%s store)', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', DB_SEED_ON_START: 'true' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when a signed-in customer gives a new phone, e-mail and address in chat, then none of them (nor the demo shop\'s) is stored in clear, and the customer is still found by phone and e-mail', async () => {
    const db = bot.app.store.db;
    const customer = await db.customer.findUniqueOrThrow({ where: { externalId: 'C1020' }, include: { orders: true } });
    const seeded = [customer.phone!, customer.email!, customer.address!, customer.orders[0].shippingAddress];
    await db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-private', customerId: customer.id } });
    const c = { conversationId: 'c-private', locale: 'zh-CN' };

    await bot.say({ ...c, text: '你好' }, 3);
    const shown = await bot.say({ ...c, text: '我的个人信息' });
    expect(shown.join('\n')).toContain(`电话：${customer.phone}`);
    expect(await bot.say({ ...c, text: '更正电话' })).toHaveLength(1);
    expect((await bot.say({ ...c, text: '139 1234 5678' })).join('\n')).toContain(PHONE);
    await bot.say({ ...c, text: '我的个人信息' });
    await bot.say({ ...c, text: '更正邮箱' });
    expect((await bot.say({ ...c, text: EMAIL })).join('\n')).toContain(EMAIL);
    await bot.say({ ...c, text: '我的个人信息' });
    await bot.say({ ...c, text: '更正地址' });
    expect((await bot.say({ ...c, text: ADDRESS })).join('\n')).toContain(ADDRESS);

    // In memory, through the store: clear values, and the transcript as it was said.
    expect(await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ phone: PHONE, email: EMAIL, address: ADDRESS });
    const texts = (await db.message.findMany({ where: { customerId: customer.id }, orderBy: { timestamp: 'asc' } })).map((m) => m.text ?? '');
    expect(texts).toContain(ADDRESS);
    const audit = await db.auditLog.findMany({ where: { entity: 'Customer', entityId: customer.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => a.after)).toEqual([{ phone: '139****5678' }, { email: 'z***@example.com' }, { address: '杭州市***' }]);

    const found = new CustomerService(db, new EventLog(provider));
    expect((await found.findByPhone('+86 139-1234-5678'))?.id).toBe(customer.id);
    expect((await found.findByEmail('Zhang.Wei.Secret@example.com'))?.id).toBe(customer.id);

    await bot.app.stop();
    const everything = dump(bot);
    expect(everything.length).toBeGreaterThan(10_000);
    for (const value of [PHONE, EMAIL, ADDRESS, ...seeded]) expect(everything.includes(value) ? value : 'absent').toBe('absent');
    expect(everything).toContain('enc:v1:');

    // After a restart the bot finds the customer by the phone they gave.
    await bot.restart();
    expect((await new CustomerService(bot.app.store.db, new EventLog(provider)).findByPhone(PHONE))?.id).toBe(customer.id);
    const again = await bot.say({ ...c, text: '我的个人信息' });
    expect(again.join('\n')).toContain(`电话：${PHONE}`);
  });
});
