import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/* Wording as a native reader expects it: what is due on an unpaid order, a typed product's name in a sentence, amounts with thousands separators. */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

test.each<[Locale, string, Turn]>([
  ['zh-CN', 'C1011', ['我的订单KF202611250017到哪了', ['状态：待付款', '应付：¥735.00（待付款）'], { absent: ['实付'] }]],
  ['en-US', 'C1012', ['where is my order KF202611240015', ['Status: Awaiting payment', 'Amount due: ¥377.00 (not paid yet)'], { absent: ['Total:'] }]],
])('(%s) when the order is not paid yet, then its amount is what is due, not what was paid', async (locale, shopId, turn) => {
  await (await env.chat({ shopId, locale })).play([turn]);
});

test.each<[Locale, Turn[]]>([
  ['zh-CN', [['维修', ['哪件商品需要维修？']], ['我的电饭煲', ['您的电饭煲出了什么问题？']]]],
  ['en-US', [['Repair', ['Which product needs repair?']], ['the blender', ["What's wrong with your blender?"], { absent: ['your the'] }]]],
])('(%s) when the customer types the product with an article, then the question reads naturally', async (locale, turns) => {
  await (await env.chat({ locale })).play(turns);
});

test.each<[Locale, Turn]>([
  ['zh-CN', ['查一下我的订单', ['2. KF202611230007 · 2026年11月23日 · 已发货 · ¥1,397.00']]],
  ['en-US', ['check my orders', ['2. KF202611230007 · Nov 23, 2026 · Shipped · ¥1,397.00']]],
])('(%s) when an amount has four digits, then it is written with a thousands separator', async (locale, turn) => {
  await (await env.chat({ shopId: 'C1012', locale })).play([turn]);
});
