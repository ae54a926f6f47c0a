import { CardFactory, type Activity } from 'botbuilder';
import type { Locale } from '../../src/config/locales';
import { TranscriptService } from '../../src/crm/transcript';
import { detailsReply } from '../../src/bot/cards';
import { PROVIDERS, openTestStore } from '../support/db';
import { DialogEnv } from './support';

/*
 * Order and ticket details as a card where the channel shows cards (the web chat): the first line as
 * its heading, the facts in a table, the whole text as the card's fallback; on other channels the
 * same lines as text. The transcript keeps the whole text either way.
 */
interface Card {
  fallbackText: string;
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
}

function cardOf(reply: Partial<Activity>): Card {
  const attachment = reply.attachments?.find((a) => a.contentType === CardFactory.contentTypes.adaptiveCard);
  expect(attachment).toBeDefined();
  return attachment!.content as Card;
}

const facts = (card: Card) => card.body.flatMap((b) => b.facts ?? []);

describe('details as cards', () => {
  const env = new DialogEnv();
  beforeAll(() => env.start(), 60_000);
  afterAll(() => env.stop());

  test.each<[Locale, string, string, string, { title: string; value: string }[]]>([
    ['zh-CN', 'C1041', '我的订单KF202611210001到哪了', '订单 KF202611210001（下单时间 2026年11月22日）', [{ title: '状态', value: '已发货' }, { title: '发货时间', value: '2026年11月23日 20:21' }]],
    ['en-US', 'C1019', 'where is my order KF202611210002', 'Order KF202611210002 (placed Nov 22, 2026)', [{ title: 'Status', value: 'Shipped' }, { title: 'Shipped', value: 'Nov 22, 2026, 21:40' }]],
  ])('(%s) when a web chat customer asks about an order, then the order comes as a card: its name as the heading, its facts in a table, the whole text as fallback', async (locale, shopId, say, title, some) => {
    const chat = await env.chat({ shopId, locale });
    const replies = await chat.say({ text: say, channelId: 'directline' });
    expect(replies).toHaveLength(1);
    expect(replies[0].text ?? '').toBe('');
    const card = cardOf(replies[0]);
    expect(card.body[0].text).toBe(title);
    expect(facts(card)).toEqual(expect.arrayContaining(some));
    expect(card.fallbackText.split('\n')[0]).toBe(title);
    expect(card.fallbackText).toContain(`${some[0].title}${locale === 'zh-CN' ? '：' : ': '}${some[0].value}`);
  });

  test.each<[string, string]>([
    ['签收时间：2026年10月16日 21:27', '物流显示已于 2026年10月16日 21:27 签收。如果您没有收到，请先看看快递柜。'],
    ['Delivered: Oct 16, 2026, 21:27', "The carrier reports it delivered on Oct 16, 2026, 21:27. If you haven't got it, check the lockers."],
  ])('when a line of the details is a sentence with a time in it (%s), then it stays a whole line under the table, not a fact cut at the time', (fact, sentence) => {
    const card = cardOf(detailsReply('directline', ['Order KF202610130002', fact, sentence]));
    const [title, value] = fact.split(/[:：]\s*(.+)/s);
    expect(facts(card)).toEqual([{ title, value }]);
    expect(card.body.at(-1)).toMatchObject({ type: 'TextBlock', text: sentence });
  });

  test.each<[Locale, string, string]>([
    ['zh-CN', 'C1041', '我的订单KF202611210001到哪了'],
    ['en-US', 'C1019', 'where is my order KF202611210002'],
  ])('(%s) when the channel shows no cards, then the order is text, one fact a line', async (locale, shopId, say) => {
    const chat = await env.chat({ shopId, locale });
    const replies = await chat.say({ text: say, channelId: 'sms' });
    expect(replies[0].attachments ?? []).toEqual([]);
    expect(replies[0].text?.split('\n').length).toBeGreaterThan(5);
  });
});

describe.each(PROVIDERS)('the transcript of a card (%s)', (provider) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  beforeAll(async () => {
    t = await openTestStore(provider, 'cards');
  });
  afterAll(() => t.close());

  test('when the bot sends details as a card, then the transcript keeps the whole text, not only the first line', async () => {
    const customer = await t.store.db.customer.create({ data: { name: 'Card reader' } });
    const conversation = await t.store.db.conversation.create({ data: { channelId: 'directline', channelConversationId: `cards-${provider}`, customerId: customer.id, reference: {} } });
    const reply = detailsReply('directline', ['工单 T202611300001（咨询）', '状态：处理中', '截止时间：2026年12月1日 18:00']);
    await new TranscriptService(t.store.turns).recordOutbound({ conversationId: conversation.id, customerId: customer.id }, [{ activity: reply, sender: { type: 'bot', id: null } }], 'zh-CN');
    const rows = await t.store.db.message.findMany({ where: { conversationId: conversation.id }, select: { text: true, attachments: true } });
    expect(rows.map((r) => r.text)).toEqual(['工单 T202611300001（咨询）\n状态：处理中\n截止时间：2026年12月1日 18:00']);
    expect(JSON.stringify(rows[0].attachments)).toContain('FactSet');
  });
});
