import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { createStaffAccount, StaffBrowser } from './support';

describe.each(PROVIDERS)('staff sign-in (%s)', (provider) => {
  const bot = new TestBot(provider, { STAFF_LOCKOUT_ATTEMPTS: '3', STAFF_LOCKOUT_MINUTES: '15' });
  let lin: { id: string; token: string };

  beforeAll(async () => {
    await bot.start();
    lin = await createStaffAccount(bot, { name: '林小美', role: 'agent', login: 'lin', password: 'correct-horse-1' });
    await createStaffAccount(bot, { name: 'Wang Supervisor', role: 'supervisor', login: 'wang', password: 'battery-staple-2' });
    // A route of some feature that only the roles with dashboard.all may use (not agents).
    bot.app.http.server.get('/test/supervisors-only', bot.app.staff.requireStaff('dashboard.all')(async (_req, _res, auth) => ({ hello: auth.member.name })));
    bot.app.http.server.post('/test/any-staff', bot.app.staff.requireStaff()(async (_req, _res, auth) => ({ changedBy: auth.member.login })));
  });
  afterAll(() => bot.stop());

  test('when an agent signs in with the right password, then the session cookie is HttpOnly and SameSite=Strict and /staff/api/me knows them', async () => {
    const browser = new StaffBrowser(bot);
    const answer = await browser.signIn('LIN', 'correct-horse-1');
    expect(answer.status).toBe(200);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^kefu_staff=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const me = await browser.request('GET', '/staff/api/me');
    expect(me.status).toBe(200);
    expect(me.json.member).toMatchObject({ name: '林小美', role: 'agent', login: 'lin' });
    expect(me.json.csrfToken).toBe(browser.csrf);
  });

  test('when nobody is signed in, then staff routes answer 401 and a wrong password is refused like an unknown login', async () => {
    const browser = new StaffBrowser(bot);
    expect((await browser.request('GET', '/staff/api/me')).status).toBe(401);
    const wrong = await browser.signIn('wang', 'not-the-password');
    const unknown = await browser.signIn('nobody', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.message).toBe(unknown.json.message);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  test('when a signed-in browser posts without the CSRF header, or from another site, then it is refused with 403 and nothing changes', async () => {
    const browser = new StaffBrowser(bot);
    await browser.signIn('lin', 'correct-horse-1');
    const noHeader = await browser.request('POST', '/test/any-staff', {}, { 'x-kefu-csrf': '' });
    expect(noHeader.status).toBe(403);
    const otherSite = await browser.request('POST', '/test/any-staff', {}, { origin: 'https://evil.example' });
    expect(otherSite.status).toBe(403);
    const signOutFromElsewhere = await browser.request('POST', '/staff/api/signout', {}, { origin: 'https://evil.example' });
    expect(signOutFromElsewhere.status).toBe(403);
    expect((await browser.request('GET', '/staff/api/me')).status).toBe(200);
    const fine = await browser.request('POST', '/test/any-staff', {});
    expect(fine.json).toEqual({ changedBy: 'lin' });
  });

  test('when a sign-in comes from a page of another site, then it is refused with 403', async () => {
    const browser = new StaffBrowser(bot, 'https://evil.example');
    expect((await browser.signIn('lin', 'correct-horse-1')).status).toBe(403);
  });

  test('when an agent calls a supervisors-only route, then 403; a supervisor gets through; an API bearer token works without CSRF', async () => {
    const agent = new StaffBrowser(bot);
    await agent.signIn('lin', 'correct-horse-1');
    expect((await agent.request('GET', '/test/supervisors-only')).status).toBe(403);
    const supervisor = new StaffBrowser(bot);
    await supervisor.signIn('wang', 'battery-staple-2');
    expect((await supervisor.request('GET', '/test/supervisors-only')).json).toEqual({ hello: 'Wang Supervisor' });
    const api = new StaffBrowser(bot);
    const viaToken = await api.request('POST', '/test/any-staff', {}, { authorization: `Bearer ${lin.token}` });
    expect(viaToken.json).toEqual({ changedBy: 'lin' });
  });

  test('when an agent signs out, then the old cookie no longer opens anything', async () => {
    const browser = new StaffBrowser(bot);
    await browser.signIn('lin', 'correct-horse-1');
    const out = await browser.request('POST', '/staff/api/signout', {});
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await browser.request('GET', '/staff/api/me')).status).toBe(401);
  });

  test('when the password is wrong three times in a row, then the account is locked (even with the right password) until the lock-out time has passed', async () => {
    await createStaffAccount(bot, { name: 'Zhao', role: 'agent', login: 'zhao', password: 'zhao-password-3' });
    const browser = new StaffBrowser(bot);
    expect((await browser.signIn('zhao', 'guess-1')).status).toBe(401);
    expect((await browser.signIn('zhao', 'guess-2')).status).toBe(401);
    const third = await browser.signIn('zhao', 'guess-3');
    expect(third.status).toBe(429);
    const right = await browser.signIn('zhao', 'zhao-password-3');
    expect(right.status).toBe(429);
    expect(String(right.json.message)).toContain('locked until');
    const audit = await bot.app.store.db.auditLog.findMany({ where: { action: 'staff.locked' } });
    expect(audit).toHaveLength(1);
    const start = bot.clock.current;
    bot.clock.set(new Date(start.getTime() + 16 * 60_000));
    try {
      expect((await browser.signIn('zhao', 'zhao-password-3')).status).toBe(200);
    } finally {
      bot.clock.set(start);
    }
  });

  test('when the sign-in page is opened in Chinese or English, then its words are in that language', async () => {
    const browser = new StaffBrowser(bot);
    const zh = await browser.request('GET', '/staff/signin?lang=zh-CN&next=/agent');
    expect(zh.status).toBe(200);
    expect(zh.text).toContain('<html lang="zh-CN">');
    expect(zh.text).toContain('客服工作台');
    expect(zh.text).toContain('密码');
    const en = await browser.request('GET', '/staff/signin', undefined, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(en.text).toContain('<html lang="en-US">');
    expect(en.text).toContain('Password');
    const evil = await browser.request('GET', '/staff/signin?next=//evil.example/x');
    expect(evil.text).not.toContain('evil.example');
  });
});
