import { formatYuan } from '../../dialogs/format';
import { LoyaltyPolicy } from '../../src/features/loyalty/loyaltyPolicy';
import { DialogEnv, LOCALES, buttons, config, t } from './support';

const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

describe.each(LOCALES)('FAQ (%s)', (locale) => {
  const zh = locale === 'zh-CN';
  const vars = { days: config.RETURN_WINDOW_DAYS, fee: formatYuan(config.RETURN_SHIPPING_FEE_YUAN * 100), gold: config.LOYALTY_GOLD_POINTS, diamond: config.LOYALTY_DIAMOND_POINTS, estimate: config.DELIVERY_ESTIMATE_DAYS };

  test('when a customer asks about invoices, then the invoice answer comes with its follow-ups, and a clicked follow-up answers that topic', async () => {
    const chat = await env.chat({ locale, verified: false });
    const [answer] = await chat.say(zh ? '发票怎么开' : 'how do I get an invoice');
    expect(answer.text).toBe(t(locale, 'faq.topics.invoice.answer', vars));
    expect(buttons(answer)).toEqual([t(locale, 'faq.topics.payment.title'), t(locale, 'faq.topics.returnPolicy.title'), t(locale, 'messages.menu.human')]);
    const [policy] = await chat.texts(t(locale, 'faq.topics.returnPolicy.title'));
    expect(policy).toBe(t(locale, 'faq.topics.returnPolicy.answer', vars));
    expect(policy).toContain(vars.fee);
  });

  test('when a customer asks about shipping, then the shipping answer comes', async () => {
    const chat = await env.chat({ locale, verified: false });
    expect(await chat.texts(zh ? '你们用什么快递，几天能到' : 'which courier do you use and how long does delivery take')).toEqual([t(locale, 'faq.topics.shipping.answer', vars)]);
  });
});

describe.each(LOCALES)('loyalty (%s)', (locale) => {
  test('when a member asks for their points, then balance, tier and what the next tier needs are shown', async () => {
    const policy = new LoyaltyPolicy({ gold: config.LOYALTY_GOLD_POINTS, diamond: config.LOYALTY_DIAMOND_POINTS });
    const customer = await env.db.customer.findFirstOrThrow({ where: { points: { lt: config.LOYALTY_GOLD_POINTS } }, orderBy: { externalId: 'asc' } });
    const chat = await env.chat({ customerId: customer.id, locale });
    const [text] = await chat.texts(locale === 'zh-CN' ? '我的积分有多少' : 'how many points do I have');
    const status = policy.status(customer.points);
    expect(text.split('\n')).toEqual([
      t(locale, 'loyalty.balance', { points: customer.points, tier: t(locale, 'loyalty.tier.SILVER') }),
      t(locale, 'loyalty.next', { needed: status.next?.pointsNeeded ?? -1, tier: t(locale, 'loyalty.tier.GOLD') }),
      t(locale, 'loyalty.rule'),
    ]);
  });
});

describe.each(LOCALES)('my data (%s)', (locale) => {
  const i = LOCALES.indexOf(locale);
  const zh = locale === 'zh-CN';

  test('when a customer corrects their e-mail, then a bad address is re-asked and the good one is saved and audit-logged with before and after', async () => {
    const customer = await env.db.customer.findFirstOrThrow({ where: { externalId: `C10${20 + i}` } });
    const chat = await env.chat({ customerId: customer.id, locale });
    const [shown] = await chat.say(zh ? '我的个人信息' : 'what personal data do you have about me');
    expect(shown.text).toContain(customer.email as string);
    expect(shown.text).toContain(customer.phone as string);
    expect(buttons(shown)).toContain(t(locale, 'account.myData.action.email'));
    expect(await chat.texts(t(locale, 'account.myData.action.email'))).toEqual([t(locale, 'account.myData.ask.email')]);
    expect(await chat.texts(zh ? '不告诉你' : 'not-an-email')).toEqual([t(locale, 'account.myData.retry.email')]);
    const email = `new.${locale.toLowerCase()}@example.com`;
    expect(await chat.texts(email)).toEqual([
      t(locale, 'account.myData.updated', { field: t(locale, 'account.myData.field.email'), before: customer.email as string, after: email }),
    ]);
    expect((await env.db.customer.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(email);
    const audit = await env.db.auditLog.findFirstOrThrow({ where: { entity: 'Customer', entityId: customer.id } });
    expect(audit).toMatchObject({ actorType: 'customer', actorId: customer.id, action: 'customer.update', before: { email: customer.email }, after: { email } });
  });

  test('when a customer asks to delete their data, then a privacy request ticket awaits a supervisor and nothing is deleted', async () => {
    const customer = await env.db.customer.findFirstOrThrow({ where: { externalId: `C10${30 + i}` } });
    const chat = await env.chat({ customerId: customer.id, locale });
    await chat.say(zh ? '删除我的个人数据' : 'please delete my personal data');
    expect(await chat.texts(t(locale, 'account.myData.action.delete'))).toEqual([t(locale, 'account.myData.deleteConfirm')]);
    const [done] = await chat.texts(t(locale, 'account.myData.deleteYes'));
    const ticket = await env.db.ticket.findFirstOrThrow({ where: { customerId: customer.id, category: 'privacy_request' } });
    expect(ticket.status).toBe('NEW');
    expect(done).toContain(ticket.number);
    expect(await env.db.customer.findUnique({ where: { id: customer.id } })).not.toBeNull();
    expect(await env.db.order.count({ where: { customerId: customer.id } })).toBeGreaterThan(0);
  });

  test('when a customer who is not signed in asks for their data, then nothing is shown', async () => {
    const chat = await env.chat({ locale, verified: false });
    expect(await chat.texts(zh ? '我的个人信息' : 'what personal data do you have about me')).toEqual([t(locale, 'webchat.signInRequired')]);
  });
});
