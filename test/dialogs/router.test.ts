import { menuLabels } from '../../dialogs/routes';
import { type Chat, DialogEnv, LOCALES, TZ, buttons, config, i18n, t } from './support';

const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

/** Messages the trained recognizer is unsure about (top score below the threshold) and clearly out of scope. */
const UNSURE = { 'zh-CN': '我的那个', 'en-US': 'my thing' } as const;
const OUT_OF_SCOPE = { 'zh-CN': '呵呵呵', 'en-US': 'asdfgh' } as const;

describe.each(LOCALES)('the router (%s)', (locale) => {
  const other = locale === 'zh-CN' ? 'en-US' : 'zh-CN';
  let chat: Chat;
  beforeEach(async () => {
    chat = await env.chat({ locale });
  });

  test('when the customer greets, then the welcome ends with a menu of every first-line dialog, my tickets and the language switch', async () => {
    const replies = await chat.say(locale === 'zh-CN' ? '你好' : 'hello');
    expect(replies.map((r) => r.text)).toEqual([t(locale, 'messages.welcome.greeting'), t(locale, 'messages.welcome.capabilities'), t(locale, 'messages.welcome.prompt')]);
    const menu = buttons(replies[2]);
    const keys = ['orders.menu.orderStatus', 'orders.menu.cancelOrder', 'orders.menu.changeAddress', 'returns.menu', 'repairs.menu', 'complaints.menu', 'faq.menu', 'loyalty.menu', 'account.menu.myData', 'messages.menu.human', 'account.menu.language'];
    for (const key of keys) expect(menu).toContain(t(locale, key));
    expect(menu).toContain(t(locale, 'tickets.menu.ticketStatus'));
    expect(menu.indexOf(t(locale, 'tickets.menu.ticketStatus'))).toBeLessThan(menu.indexOf(t(locale, 'messages.menu.human')));
  });

  test('when the customer writes "my tickets", then the tickets engineer\'s dialog answers', async () => {
    const reply = await chat.reply(locale === 'zh-CN' ? '我的工单' : 'my tickets');
    expect(reply).toBe(t(locale, 'tickets.list.none'));
  });

  test('when every menu label is clicked, then some dialog answers (no fallback)', async () => {
    for (const label of menuLabels(i18n, locale, env.routes)) {
      const fresh = await env.chat({ locale });
      const texts = await fresh.texts(label);
      expect({ label, texts }).not.toEqual({ label, texts: [t(locale, 'messages.fallback.notUnderstood')] });
      expect(texts.length).toBeGreaterThan(0);
    }
  });

  test('when the customer switches language in the middle, then the reply follows; digits alone keep the current language', async () => {
    await chat.say(locale === 'zh-CN' ? '你好' : 'hello');
    const switched = await chat.say(other === 'zh-CN' ? '你好' : 'hello');
    expect(switched[0].text).toBe(t(other, 'messages.welcome.greeting'));
    const digits = await chat.texts('12345');
    expect(digits[0]).not.toBe('');
    expect([t(other, 'messages.fallback.notUnderstood'), t(other, 'dialogs.fallback.offerHuman')]).toContain(digits[0]);
  });

  test('when the bot is not sure, then it says so and offers the closest intents; a clicked intent label routes there', async () => {
    const replies = await chat.say(UNSURE[locale]);
    expect(replies[0].text).toBe(t(locale, 'messages.fallback.notUnderstood'));
    const offered = buttons(replies[0]);
    expect(offered).toContain(t(locale, 'dialogs.menuButton'));
    const label = t(locale, 'dialogs.intents.points_membership');
    const routed = await chat.texts(label);
    expect(routed[0]).toContain(t(locale, 'loyalty.rule'));
  });

  test('when two messages in a row are not understood, then a person is offered', async () => {
    const first = await chat.say(OUT_OF_SCOPE[locale]);
    expect(first[0].text).toBe(t(locale, 'messages.fallback.notUnderstood'));
    const second = await chat.say(UNSURE[locale]);
    expect(second[0].text).toBe(t(locale, 'dialogs.fallback.offerHuman'));
    expect(buttons(second[0])).toContain(t(locale, 'messages.menu.human'));
  });

  test('when a message is empty, emoji only, a sticker only or 10 000 characters long, then a localized answer comes, never an error', async () => {
    expect(await chat.texts({ text: '' })).toEqual([t(locale, 'dialogs.fallback.empty')]);
    expect(await chat.texts({ text: '😀👍' })).toEqual([t(locale, 'dialogs.fallback.noWords')]);
    expect(await chat.texts({ attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/sticker.png' }] })).toEqual([t(locale, 'dialogs.fallback.attachmentOnly')]);
    const long = await chat.texts((locale === 'zh-CN' ? '我的订单' : 'my order ').repeat(2500).slice(0, 10_000));
    expect(long.length).toBeGreaterThan(0);
    expect(long).not.toContain(t(locale, 'messages.errors.turn'));
  });

  test('when the customer asks for help in the middle of a dialog, then the hint comes and the same question is asked again', async () => {
    const prompt = await chat.texts(t(locale, 'complaints.menu'));
    expect(prompt).toEqual([t(locale, 'complaints.askType')]);
    expect(await chat.texts(locale === 'zh-CN' ? '帮助' : 'help')).toEqual([t(locale, 'dialogs.interrupt.help'), t(locale, 'complaints.askType')]);
  });

  test('when the customer cancels in the middle of a dialog, then it stops and nothing is opened', async () => {
    await chat.say(t(locale, 'complaints.menu'));
    expect(await chat.texts(locale === 'zh-CN' ? '取消' : 'cancel')).toEqual([t(locale, 'dialogs.interrupt.cancelled')]);
    expect(await env.db.ticket.count({ where: { conversationId: chat.who.conversationId } })).toBe(0);
  });

  test('when the customer starts over in the middle of a dialog, then the welcome menu comes back', async () => {
    await chat.say(t(locale, 'complaints.menu'));
    const texts = await chat.texts(locale === 'zh-CN' ? '重新开始' : 'start over');
    expect(texts[0]).toBe(t(locale, 'messages.welcome.greeting'));
  });

  test('when a verified customer asks for a person in the middle of a dialog, then a consultation ticket is opened and its number and due time told honestly', async () => {
    await chat.say(t(locale, 'complaints.menu'));
    const [text] = await chat.texts(locale === 'zh-CN' ? '我要转人工' : 'can I talk to a person');
    const ticket = await env.db.ticket.findFirstOrThrow({ where: { conversationId: chat.who.conversationId } });
    expect(ticket).toMatchObject({ category: 'consultation', status: 'NEW', customerId: chat.who.customerId });
    expect(text).toBe(t(locale, 'human.opened', { number: ticket.number, due: formatDue(locale, ticket.dueAt) }));
    // Asking again does not open a second ticket.
    const [again] = await chat.texts(locale === 'zh-CN' ? '转人工' : 'agent');
    expect(again).toBe(t(locale, 'human.alreadyOpen', { number: ticket.number, due: formatDue(locale, ticket.dueAt) }));
    expect(await env.db.ticket.count({ where: { conversationId: chat.who.conversationId } })).toBe(1);
  });

  test('when a customer who is not signed in asks for a person, then they are told how to sign in and no ticket is opened', async () => {
    const anonymous = await env.chat({ locale, verified: false });
    expect(await anonymous.texts(locale === 'zh-CN' ? '转人工' : 'talk to a person')).toEqual([t(locale, 'human.signIn', { url: config.SHOP_SIGN_IN_URL })]);
    expect(await env.db.ticket.count({ where: { customerId: anonymous.who.customerId } })).toBe(0);
  });
});

function formatDue(locale: (typeof LOCALES)[number], due: Date | null): string {
  return due ? new Intl.DateTimeFormat(locale, { timeZone: TZ, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(due) : '-';
}
