import { signShopIdentity } from '../../src/features/webchat/directline/tokens';
import { signedHeaders } from '../../src/features/shop';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

const SHOP_SECRET = 'test-shop-identity-secret-0123456789abcdef0123';
const WEBHOOK_SECRET = 'test-shop-webhook-secret-0123456789';
const SIGN_IN_AGAIN = { 'en-US': /sign-in has ended.*sign in to your shop account again/s, 'zh-CN': /登录已失效.*重新登录商城账号/s };

interface Chat {
  conversationId: string;
  token: string;
}

/**
 * A web chat sign-in has a lifetime (the shop identity token's exp, at most SHOP_IDENTITY_MAX_TTL_SECONDS),
 * ends at a sign-out or the shop's revocation, and comes back with a fresh identity. The services' clock
 * is moved instead of waiting; identity tokens are signed on the wall clock, as the shop's server does.
 */
describe.each(PROVIDERS)('web chat sign-in lifetime, sign-out and revocation (%s store)', (provider) => {
  const bot = new TestBot(provider, { SHOP_IDENTITY_SECRET: SHOP_SECRET, SHOP_WEBHOOK_SECRET: WEBHOOK_SECRET, SHOP_IDENTITY_MAX_TTL_SECONDS: '600', DB_SEED_ON_START: 'true' });
  let phone = '';
  beforeAll(async () => {
    await bot.start();
    const customer = await bot.app.store.db.customer.findUniqueOrThrow({ where: { externalId: 'C1001' } });
    phone = customer.phone ?? '';
    expect(phone).not.toBe('');
  }, 60_000);
  afterAll(() => bot.stop());
  beforeEach(() => bot.clock.set(new Date()));

  const url = (path: string) => `${bot.app.url}${path}`;
  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const identity = (ttlSeconds: number, externalId = 'C1001') => signShopIdentity(SHOP_SECRET, externalId, ttlSeconds);
  const later = (seconds: number) => bot.clock.set(new Date(bot.clock.now().getTime() + seconds * 1000));

  async function open(identityToken?: string, locale = 'en-US'): Promise<Chat> {
    const res = await fetch(url('/webchat/api/token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identityToken, locale }) });
    expect(res.status).toBe(200);
    const chat = (await res.json()) as Chat;
    expect((await fetch(url('/v3/directline/conversations'), { method: 'POST', headers: auth(chat.token), body: JSON.stringify({ locale }) })).status).toBeLessThan(300);
    return chat;
  }

  /** Posts a message as the customer and returns the bot's replies to it (the turn is over when the post is answered). */
  async function say(chat: Chat, text: string, locale = 'en-US'): Promise<string> {
    const res = await fetch(url(`/v3/directline/conversations/${chat.conversationId}/activities`), {
      method: 'POST',
      headers: auth(chat.token),
      body: JSON.stringify({ type: 'message', text, locale, from: { id: 'me' } }),
    });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    const log = (await (await fetch(url(`/v3/directline/conversations/${chat.conversationId}/activities`), { headers: auth(chat.token) })).json()) as {
      activities: { replyToId?: string; text?: string; from: { role?: string } }[];
    };
    return log.activities
      .filter((a) => a.replyToId === id && a.from.role === 'bot')
      .map((a) => a.text ?? '')
      .join('\n');
  }

  async function refresh(chat: Chat, identityToken?: string): Promise<number> {
    const res = await fetch(url('/v3/directline/tokens/refresh'), { method: 'POST', headers: auth(chat.token), body: JSON.stringify(identityToken ? { identityToken } : {}) });
    if (res.ok) chat.token = ((await res.json()) as { token: string }).token;
    return res.status;
  }

  /** "my data" shows the phone to a signed-in customer; the answer is then left with "cancel". */
  async function seesPersonalData(chat: Chat, locale = 'en-US'): Promise<string> {
    const answer = await say(chat, locale === 'en-US' ? 'my data' : '我的资料', locale);
    if (answer.includes(phone)) await say(chat, locale === 'en-US' ? 'cancel' : '取消', locale);
    return answer;
  }

  test('when a 20-second identity token runs out, then the chat asks to sign in again (in the customer language), token refreshes do not extend it, and a fresh identity restores it', async () => {
    const chat = await open(identity(20));
    expect(await seesPersonalData(chat)).toContain(phone);

    later(21);
    const expired = await seesPersonalData(chat);
    expect(expired).toMatch(SIGN_IN_AGAIN['en-US']);
    expect(expired).not.toContain(phone);
    expect(await seesPersonalData(chat, 'zh-CN')).toMatch(SIGN_IN_AGAIN['zh-CN']);

    for (let i = 0; i < 3; i++) {
      expect(await refresh(chat)).toBe(200);
      later(60);
      expect(await seesPersonalData(chat)).not.toContain(phone);
    }

    expect(await refresh(chat, identity(300))).toBe(200);
    bot.clock.set(new Date());
    expect(await seesPersonalData(chat)).toContain(phone);
  });

  test('when the customer signs out, then the same conversation is a guest at once, audit-logged; signing in again restores it', async () => {
    const chat = await open(identity(300));
    expect(await seesPersonalData(chat)).toContain(phone);

    const out = await fetch(url('/webchat/api/signout'), { method: 'POST', headers: auth(chat.token) });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true });
    const answer = await seesPersonalData(chat);
    expect(answer).toMatch(SIGN_IN_AGAIN['en-US']);
    expect(answer).not.toContain(phone);

    const conversation = await bot.app.store.db.conversation.findUniqueOrThrow({ where: { channelId_channelConversationId: { channelId: 'directline', channelConversationId: chat.conversationId } } });
    expect(await bot.app.store.db.auditLog.count({ where: { action: 'conversation.signed_out', entityId: conversation.id } })).toBe(1);

    expect((await fetch(url('/webchat/api/signout'), { method: 'POST' })).status).toBe(401);
    expect((await fetch(url('/webchat/api/signout'), { method: 'POST', headers: { authorization: 'Bearer forged' } })).status).toBe(403);

    expect(await refresh(chat, identity(300))).toBe(200);
    expect(await seesPersonalData(chat)).toContain(phone);
  });

  test('when the customer types "sign out" / "退出登录", then the chat signs them out at once, in their language; a guest is told there is nothing to sign out of', async () => {
    const english = await open(identity(300));
    expect(await seesPersonalData(english)).toContain(phone);
    expect(await say(english, 'sign out')).toMatch(/signed out of this chat/);
    expect(await seesPersonalData(english)).toMatch(SIGN_IN_AGAIN['en-US']);

    const chinese = await open(identity(300), 'zh-CN');
    expect(await seesPersonalData(chinese, 'zh-CN')).toContain(phone);
    expect(await say(chinese, '退出登录', 'zh-CN')).toMatch(/已在本次对话中退出登录/);
    expect(await seesPersonalData(chinese, 'zh-CN')).toMatch(SIGN_IN_AGAIN['zh-CN']);
    expect(await bot.app.store.db.auditLog.count({ where: { action: 'conversation.signed_out', actorType: 'customer' } })).toBeGreaterThanOrEqual(2);

    expect(await say(await open(), 'log out')).toMatch(/aren't signed in/);
  });

  test("when the shop revokes the customer's sessions, then every chat they are signed in to asks them to sign in again; another customer's chat is untouched", async () => {
    const first = await open(identity(300));
    const second = await open(identity(300), 'zh-CN');
    const someoneElse = await open(identity(300, 'C1002'));
    const otherPhone = (await bot.app.store.db.customer.findUniqueOrThrow({ where: { externalId: 'C1002' } })).phone ?? '';
    expect(await seesPersonalData(first)).toContain(phone);

    const body = JSON.stringify({ id: `evt-revoke-${provider}`, type: 'customer.sessions_revoked', occurredAt: new Date().toISOString(), data: { customerId: 'C1001' } });
    const res = await fetch(url('/api/shop/events'), { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(WEBHOOK_SECRET, body, bot.clock.now()) }, body });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'applied' });

    expect(await seesPersonalData(first)).toMatch(SIGN_IN_AGAIN['en-US']);
    expect(await seesPersonalData(second, 'zh-CN')).toMatch(SIGN_IN_AGAIN['zh-CN']);
    expect(await seesPersonalData(someoneElse)).toContain(otherPhone);
    const customer = await bot.app.store.db.customer.findUniqueOrThrow({ where: { externalId: 'C1001' } });
    const audit = await bot.app.store.db.auditLog.findMany({ where: { action: 'customer.sessions_revoked', entityId: customer.id } });
    expect(audit.map((a) => a.after)).toEqual([{ conversations: expect.any(Number) }]);
    expect((audit[0]?.after as { conversations: number }).conversations).toBeGreaterThanOrEqual(2);

    expect(await refresh(first, identity(300))).toBe(200);
    expect(await seesPersonalData(first)).toContain(phone);
  });

  test('when a guest who never signed in asks for personal data, then the first-time sign-in request is given, not "sign in again"', async () => {
    const chat = await open();
    const answer = await seesPersonalData(chat);
    expect(answer).toMatch(/sign in to your shop account first/);
    expect(answer).not.toMatch(SIGN_IN_AGAIN['en-US']);
  });
});
