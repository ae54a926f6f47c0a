import crypto from 'node:crypto';
import type { Locale } from '../../src/config/locales';
import { COUPON_REQUESTED, shopEventSchema } from '../../src/features/shop';
import { CarePlanner } from '../../src/features/segments/carePlanner';
import { QuietHours } from '../../src/features/surveys';
import { PROVIDERS } from '../support/db';
import { sh } from '../support/clock';
import { TestBot } from '../support/harness';
import { order, segmentsConfig } from './support';

const DAY = 86_400_000;

/** A customer who said hello in a conversation of their own, with the fields care messages read. */
class CareCustomer {
  constructor(
    readonly bot: TestBot,
    readonly channelId: string,
    readonly id: string,
    readonly locale: Locale,
  ) {}

  /** What the customer read since `before` (a count of replies). */
  read(before = 0): string[] {
    return this.bot.listener.texts(this.channelId).slice(before);
  }

  async say(text: string): Promise<string[]> {
    return this.bot.say({ text, locale: this.locale, conversationId: this.channelId }, 1);
  }

  messages() {
    return this.bot.app.store.db.careMessage.findMany({ where: { customerId: this.id }, orderBy: { createdAt: 'asc' } });
  }
}

/*
 * Care messages over the real app (its care job run by hand at the test clock's time): each kind,
 * each rule (consent, opt-out, quiet hours, the cap across kinds) and each outcome.
 */
describe.each(PROVIDERS)('care messages on %s', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });
  beforeAll(() => bot.start(), 90_000);
  afterAll(() => bot.stop());
  // Thursday 2026-11-26 10:00 in Shanghai: outside the quiet hours (21:00-09:00).
  beforeEach(() => bot.clock.set(sh('2026-11-26T10:00:00')));

  const db = () => bot.app.store.db;
  const run = () => bot.app.features.segments.care.run(bot.clock.current);

  async function customer(locale: Locale, fields: { name?: string; tier?: 'SILVER' | 'GOLD' | 'DIAMOND'; birthday?: string; marketingConsent?: boolean | null; externalId?: string } = {}): Promise<CareCustomer> {
    const channelId = `care-${crypto.randomBytes(5).toString('hex')}`;
    await bot.say({ text: locale === 'zh-CN' ? '你好' : 'hello', locale, conversationId: channelId }, 3);
    const { customerId } = await db().conversation.findFirstOrThrow({ where: { channelConversationId: channelId } });
    await db().customer.update({ where: { id: customerId! }, data: { locale, marketingConsent: true, ...fields } });
    return new CareCustomer(bot, channelId, customerId!, locale);
  }

  test.each<[Locale, string, string]>([
    ['zh-CN', '王芳，生日快乐', '金卡会员生日当月下单可享双倍积分'],
    ['en-US', 'Happy birthday, Fang', 'As a Gold member you earn double points'],
  ])('(%s) when it is a consenting customer\'s birthday, then the greeting with their tier\'s benefit comes once; without consent, none', async (locale, greeting, benefit) => {
    const fang = await customer(locale, { name: locale === 'zh-CN' ? '王芳' : 'Fang', tier: 'GOLD', birthday: '1990-11-26' });
    const silent = await customer(locale, { birthday: '11-26', marketingConsent: null });
    const before = fang.read().length;
    await run();
    await run();
    const read = fang.read(before);
    expect(read).toHaveLength(1);
    expect(read[0]).toContain(greeting);
    expect(read[0]).toContain(benefit);
    expect(await fang.messages()).toMatchObject([{ kind: 'birthday', status: 'SENT', locale, sentAt: bot.clock.current }]);
    expect(await silent.messages()).toEqual([]);
  });

  test('when a follow-up visit falls in the quiet hours, then it waits for their end; "all good" is thanked, a problem goes to the dialogs', async () => {
    const happy = await customer('zh-CN');
    const unhappy = await customer('en-US', { marketingConsent: null }); // a service message: no marketing consent needed
    bot.clock.set(sh('2026-11-26T22:00:00'));
    const delivered = new Date(bot.clock.current.getTime() - 3 * DAY - 3_600_000);
    const o1 = await order(db(), happy.id, new Date(delivered.getTime() - 2 * DAY), 199, { status: 'DELIVERED', deliveredAt: delivered });
    await order(db(), unhappy.id, new Date(delivered.getTime() - 2 * DAY), 299, { status: 'DELIVERED', deliveredAt: delivered });
    const before = happy.read().length;
    await run();
    expect(happy.read(before)).toEqual([]);
    expect(await happy.messages()).toMatchObject([{ kind: 'followup', status: 'SCHEDULED', sendAfter: sh('2026-11-27T09:00:00') }]);

    bot.clock.set(sh('2026-11-27T09:00:00'));
    await run();
    expect(happy.read(before)).toEqual([expect.stringContaining(`您的订单 ${o1.number} 已经签收几天了，一切都还好吗？`)]);
    expect(await happy.say('挺好的，谢谢')).toEqual([expect.stringContaining('感谢您的回复')]);
    expect(await happy.messages()).toMatchObject([{ status: 'SENT', repliedAt: bot.clock.current }]);

    expect(unhappy.read().at(-1)).toContain('Is everything all right with it?');
    const answer = await unhappy.say('The headphones are broken, I want to return them');
    expect(answer.join('\n')).not.toContain('Great to hear');
    expect(await unhappy.messages()).toMatchObject([{ kind: 'followup', repliedAt: bot.clock.current }]);
  });

  test('when the customer answers a care message with "不要再发了", then the opt-out is recorded and no care message of any kind comes again', async () => {
    const li = await customer('zh-CN', { birthday: '11-27' });
    const delivered = new Date(bot.clock.current.getTime() - 3 * DAY - 3_600_000);
    await order(db(), li.id, new Date(delivered.getTime() - DAY), 99, { status: 'DELIVERED', deliveredAt: delivered });
    await run();
    expect(li.read().at(-1)).toContain('一切都还好吗');
    expect(await li.say('不要再发了')).toEqual([expect.stringContaining('以后不会再给您发送关怀和问候消息了')]);
    expect(await db().careOptOut.findUnique({ where: { customerId: li.id } })).toMatchObject({ text: '不要再发了' });

    bot.clock.set(sh('2026-11-27T10:00:00')); // the birthday
    const before = li.read().length;
    await run();
    expect(li.read(before)).toEqual([]);
    expect(await li.messages()).toMatchObject([
      { kind: 'followup', status: 'SENT', optedOutAt: sh('2026-11-26T10:00:00') },
      { kind: 'birthday', status: 'SKIPPED', skipReason: 'opted_out' },
    ]);
  });

  test('when a customer already had as many care messages as the cap allows, then the next one of any kind is skipped', async () => {
    const zhao = await customer('zh-CN', { birthday: '11-26' });
    for (const kind of ['holiday', 'followup']) {
      await db().careMessage.create({ data: { customerId: zhao.id, kind, causeKey: `test:${kind}:${zhao.id}`, status: 'SENT', sendAfter: new Date(bot.clock.current.getTime() - 10 * DAY), sentAt: new Date(bot.clock.current.getTime() - 10 * DAY), createdAt: new Date(bot.clock.current.getTime() - 10 * DAY) } });
    }
    const before = zhao.read().length;
    await run();
    expect(zhao.read(before)).toEqual([]);
    expect((await zhao.messages()).find((m) => m.kind === 'birthday')).toMatchObject({ status: 'SKIPPED', skipReason: 'capped' });
  });

  test('when a valuable customer turns dormant, then the win-back message carries a coupon the shop is asked to issue, and an order afterwards counts as converted', async () => {
    const chen = await customer('en-US', { name: 'Chen', externalId: `C-chen-${provider}` });
    const plain = await customer('en-US', { name: 'Low' });
    const now = bot.clock.current;
    for (const [c, valueClass] of [[chen, 'high'], [plain, 'low']] as const) {
      await db().customerSegment.create({ data: { customerId: c.id, recencyDays: 95, frequency: 5, monetary: 500000, rScore: 2, fScore: 5, mScore: 5, valueClass, stage: 'dormant', changedAt: now, runId: 'nightly:2026-11-26' } });
      await db().segmentChange.create({ data: { customerId: c.id, kind: 'stage', fromValue: 'active', toValue: 'dormant', runId: 'nightly:2026-11-26', createdAt: now } });
    }
    const before = chen.read().length;
    await run();
    const [message] = await chen.messages();
    expect(message).toMatchObject({ kind: 'winback', status: 'SENT', couponCode: expect.stringMatching(/^WB[0-9A-F]{8}$/) });
    expect(chen.read(before)).toEqual([expect.stringContaining(`We've missed you, Chen! Here's a 20 yuan coupon for you: code ${message.couponCode}`)]);
    expect(await plain.messages()).toEqual([]);
    const events = await db().domainEvent.findMany({ where: { type: COUPON_REQUESTED, subject: `Customer:${chen.id}` } });
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ code: message.couponCode, amount: 2000, reason: 'winback' })]);
    const webhook = await bot.app.features.shop.outbox.webhookFor(events[0]);
    expect(webhook).toMatchObject({ type: 'coupon.requested', data: { customerId: `C-chen-${provider}`, code: message.couponCode, amount: 2000 } });

    bot.clock.set(new Date(now.getTime() + 2 * DAY));
    const comeback = await order(db(), chen.id, new Date(now.getTime() + DAY), 120);
    await run();
    expect(await chen.messages()).toMatchObject([{ convertedOrderId: comeback.id, convertedAt: comeback.createdAt }]);
  });

  test('when the shop sends a customer\'s birthday, then it is stored for the greeting; a malformed one is refused', async () => {
    const ingest = bot.app.features.shop.ingest;
    const event = (id: string, birthday: string) => shopEventSchema.safeParse({ id, type: 'customer.created', occurredAt: '2026-11-20T08:00:00Z', data: { customerId: `C-bday-${provider}`, birthday } });
    const good = event(`bday-1-${provider}`, '1992-02-29');
    expect(good.success).toBe(true);
    expect(await ingest.apply(good.data!)).toBe('applied');
    expect(await db().customer.findUniqueOrThrow({ where: { externalId: `C-bday-${provider}` } })).toMatchObject({ birthday: '1992-02-29' });
    expect(event(`bday-2-${provider}`, '02/29').success).toBe(false);
  });

  /** A message of `kind` due now for a new customer, as the planner would store it. */
  async function due(kind: string, fields: Parameters<typeof customer>[1] = {}) {
    const who = await customer('zh-CN', { name: '周', ...fields });
    const cause = kind === 'holiday' ? `holiday:2026-11-26:new_year:${who.id}` : `${kind}:${who.id}`;
    await db().careMessage.create({ data: { customerId: who.id, kind, causeKey: cause, sendAfter: bot.clock.current, createdAt: bot.clock.current } });
    return who;
  }
  const send = () => bot.app.features.segments.care.sender.sendAllDue(bot.clock.current);

  describe.each(['birthday', 'holiday', 'winback', 'followup'])('the %s message', (kind) => {
    const marketing = kind !== 'followup';

    test(`when the customer has not consented to marketing, then it is ${marketing ? 'not sent' : 'sent all the same (a service message)'}; when they said no, it is not`, async () => {
      const undecided = await due(kind, { marketingConsent: null });
      const refused = await due(kind, { marketingConsent: false });
      await send();
      expect(await undecided.messages()).toMatchObject([marketing ? { status: 'SKIPPED', skipReason: 'no_consent' } : { status: 'SENT' }]);
      expect(await refused.messages()).toMatchObject([{ status: 'SKIPPED', skipReason: 'no_consent' }]);
    });

    test('when the customer opted out, then it is not sent', async () => {
      const who = await due(kind);
      await db().careOptOut.create({ data: { customerId: who.id, text: 'unsubscribe', createdAt: bot.clock.current } });
      const before = who.read().length;
      await send();
      expect(who.read(before)).toEqual([]);
      expect(await who.messages()).toMatchObject([{ status: 'SKIPPED', skipReason: 'opted_out' }]);
    });

    test('when it falls in the quiet hours, then it waits for 09:00', async () => {
      bot.clock.set(sh('2026-11-26T23:30:00'));
      const who = await due(kind);
      await send();
      expect(await who.messages()).toMatchObject([{ status: 'SCHEDULED', sendAfter: sh('2026-11-27T09:00:00') }]);
      bot.clock.set(sh('2026-11-27T09:00:00'));
      await send();
      expect(await who.messages()).toMatchObject([{ status: 'SENT', sentAt: sh('2026-11-27T09:00:00') }]);
    });

    test('when the customer had two care messages of other kinds in 30 days, then it is capped', async () => {
      const who = await due(kind);
      const earlier = new Date(bot.clock.current.getTime() - 29 * DAY);
      for (const n of [1, 2]) await db().careMessage.create({ data: { customerId: who.id, kind: 'other', causeKey: `earlier:${n}:${who.id}`, status: 'SENT', sentAt: earlier, sendAfter: earlier, createdAt: earlier } });
      await send();
      expect((await who.messages()).find((m) => m.kind === kind)).toMatchObject({ status: 'SKIPPED', skipReason: 'capped' });
    });
  });

  test('when a kind is switched off, then the planner plans none of it', async () => {
    await customer('zh-CN', { birthday: '11-26' });
    const config = segmentsConfig({ CARE_BIRTHDAY: 'false' });
    const planner = new CarePlanner({ db: db(), provider, config, holidays: [{ date: '2026-11-26', key: 'thanksgiving' }], quiet: new QuietHours('21:00', '09:00', 'Asia/Shanghai'), timeZone: 'Asia/Shanghai' });
    const planned = await planner.plan(bot.clock.current);
    expect(planned.birthday).toBe(0);
    expect(planned.holiday).toBeGreaterThan(0); // the holiday is on: every consenting customer with a conversation
  });
});
