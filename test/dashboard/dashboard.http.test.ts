import { PROVIDERS } from '../support/db';
import { createStaffAccount } from '../staff/support';
import { SurveyTestBot } from '../surveys/support';

/*
 * The dashboard's API and CSV behind the staff sign-in, over the real server: a customer rates the
 * service in chat (the test channel: numbered text) and the figures, the low-score list and the CSV
 * show it. Today is Thursday 2026-11-26 in Shanghai (the app's clock).
 */
describe.each(PROVIDERS)('the dashboard API on %s', (provider) => {
  const bot = new SurveyTestBot(provider);
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    await bot.start();
    tokens.manager = (await createStaffAccount(bot, { name: '王经理', role: 'manager', login: 'wang', password: 'correct horse battery' })).token;
    tokens.auditor = (await createStaffAccount(bot, { name: 'Lin', role: 'auditor', login: 'lin', password: 'correct horse battery' })).token;
    const chat = await bot.conversation('zh-CN');
    await chat.offer('manual');
    await chat.play([['差评', ['回访工单']], ['回复太慢了', ['已收到您的意见']]]);
  }, 90_000);
  afterAll(() => bot.stop());

  const get = async (path: string, token?: string) => {
    const res = await fetch(`${bot.app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };

  test('when a manager asks for the report, then the new low score is in the figures and in the list with its comment', async () => {
    const res = await get('/dashboard/api/report?from=2026-11-20&to=2026-11-26', tokens.manager);
    expect(res.status).toBe(200);
    const report = JSON.parse(res.text) as { satisfaction: { answered: number; satisfactionRate: number }; lowScores: { score: number; comment: string; followUpTicket: string }[] };
    expect(report.satisfaction).toMatchObject({ answered: 1, satisfactionRate: 0 });
    expect(report.lowScores).toEqual([expect.objectContaining({ score: 1, comment: '回复太慢了', followUpTicket: expect.stringMatching(/^T20261126\d{4}$/) })]);
  });

  test('when a manager exports the low scores, then the CSV has a header row in their language and the score, comment and ticket', async () => {
    const res = await get('/dashboard/export.csv?table=lowScores&from=2026-11-20&to=2026-11-26&lang=zh-CN', tokens.manager);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kefu-lowScores-2026-11-20-2026-11-26.csv"');
    const [header, row] = res.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(header).toBe('时间,评分,评论,客服,来源,回访工单,对话');
    expect(row).toMatch(/^"?2026年11月26日 10:00"?,1,回复太慢了,,手动,T20261126\d{4},\w+$/);
  });

  test.each<[string, string | undefined, number, string]>([
    ['/dashboard/api/report', undefined, 401, 'sign in at /staff/signin'],
    ['/dashboard/api/report', 'auditor', 403, 'this needs the permission dashboard.read (the role auditor does not have it)'],
    ['/dashboard/api/report?from=2026-11-26&to=2026-11-01', 'manager', 400, 'The range runs backwards'],
    ['/dashboard/api/report?from=2023-01-01&to=2026-11-26', 'manager', 400, 'at most 731 days'],
    ['/dashboard/api/report?agent=me', 'manager', 400, 'Unknown agent: me'],
    ['/dashboard/api/report?shop=1', 'manager', 400, 'Unknown filter: shop'],
    ['/dashboard/export.csv?table=customers', 'manager', 400, 'table must be one of distribution, trend, agents, sla, lowScores'],
  ])('when %s is asked by %s, then the answer is %i with the reason', async (path, who, status, reason) => {
    const res = await get(path, who && tokens[who]);
    expect(res.status).toBe(status);
    expect((JSON.parse(res.text) as { message: string }).message).toContain(reason);
  });

  test('when a browser that is not signed in opens the dashboard, then it is sent to the sign-in page and back', async () => {
    const res = await get('/dashboard?lang=en-US');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/staff/signin?lang=en-US&next=%2Fdashboard%3Flang%3Den-US');
  });
});
