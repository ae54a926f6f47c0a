/**
 * What customers read, written literally for the tests (never computed with the bot's own i18n.t, which
 * could not catch a wrong string), and a check that a reply holds the essentials in order.
 */

/** The first line of the welcome, in each language. */
export const GREETING = {
  'zh-CN': '您好，欢迎光临！我是店铺的智能客服小助手，7×24 小时为您服务。',
  'en-US': "Hello and welcome! I'm the shop's service assistant, here for you 24/7.",
} as const;

/** The whole welcome (three messages) as fragments, in each language. */
export const WELCOME = {
  'zh-CN': [GREETING['zh-CN'], '我可以帮您：', '- 查询订单和物流', '- 办理退货、换货和维修', '- 受理投诉', '- 解答配送、支付、发票问题', '- 查询会员积分', '需要时随时为您转接人工客服。', '请直接告诉我您想办理的事情，或点击下方的选项。'],
  'en-US': [GREETING['en-US'], 'I can help you:', '- check an order and its delivery', '- return, exchange or repair an item', '- make a complaint', '- answer questions on shipping, payment and invoices', '- check your membership points', 'I can put you through to a person whenever you need.', 'Just tell me what you need, or pick one of the options below.'],
} as const;

/** Checks that `text` holds every fragment, each after the one before it; the error names the turn, the missing fragment and what was read. */
export function expectInOrder(said: string, text: string, fragments: readonly string[]): void {
  let from = 0;
  for (const fragment of fragments) {
    const at = text.indexOf(fragment, from);
    if (at < 0) throw new Error(`After "${said}" the customer should read "${fragment}"${from > 0 ? ' (after the fragments before it)' : ''}, but read:\n${text}`);
    from = at + fragment.length;
  }
}
