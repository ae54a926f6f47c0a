import { sh } from '../support/clock';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { createStaffAccount } from '../staff/support';

/*
 * Filters, drill-down, transcripts and agents' own figures over the real server. Two agents, Lin and
 * Ben, each had a chat rated this week (today is 2026-11-26 in Shanghai): Lin's got a 5, Ben's a 1
 * with a comment; Lin owns a consultation ticket answered late.
 */
interface ReportBody {
  period: { agent?: string };
  satisfaction: Record<string, unknown>;
  byAgent: { agent: string }[];
  sla: Record<string, unknown>[];
  lowScores: Record<string, unknown>[];
  segments: unknown;
}
interface RowsBody {
  figure: string;
  rows: Record<string, unknown>[];
}

describe.each(PROVIDERS)('the dashboard drill-down and own figures on %s', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });
  const staff: Record<string, { id: string; token: string }> = {};
  const conv: Record<string, string> = {};
  const RANGE = 'from=2026-11-20&to=2026-11-26';

  beforeAll(async () => {
    await bot.start();
    const who = { manager: '王经理', lin: 'Lin', ben: 'Ben', auditor: 'Audrey' } as const;
    for (const [key, name] of Object.entries(who)) {
      const role = key === 'manager' ? 'manager' : key === 'auditor' ? 'auditor' : 'agent';
      staff[key] = await createStaffAccount(bot, { name, role, login: key, password: 'correct horse battery' });
    }
    const db = bot.app.store.db;
    const customer = await db.customer.create({ data: { name: '张三', phone: '13800138000' } });
    for (const key of ['lin', 'ben']) {
      const c = await db.conversation.create({ data: { channelId: 'webchat', channelConversationId: `drill-${key}`, customerId: customer.id, reference: {} } });
      conv[key] = c.id;
      await db.message.create({ data: { conversationId: c.id, customerId: customer.id, direction: 'INBOUND', senderType: 'customer', activityType: 'message', text: `我的手机号是13800138000 (${key})`, timestamp: sh('2026-11-24T09:00:00') } });
      await db.message.create({ data: { conversationId: c.id, direction: 'OUTBOUND', senderType: 'agent', senderId: staff[key].id, activityType: 'message', text: '好的，马上为您处理', timestamp: sh('2026-11-24T09:01:00') } });
    }
    const survey = (key: 'lin' | 'ben', score: number, comment: string | null) =>
      db.survey.create({
        data: { customerId: customer.id, conversationId: conv[key], trigger: 'handoff_ended', channelId: 'webchat', locale: 'zh-CN', agentId: staff[key].id, status: 'ANSWERED', sendAfter: sh('2026-11-24T10:00:00'), sentAt: sh('2026-11-24T10:00:00'), answeredAt: sh('2026-11-24T10:05:00'), score, comment, causeKey: `drill:${key}` },
      });
    await survey('lin', 5, null);
    await survey('ben', 1, '等了太久');
    await db.ticket.create({
      data: { number: 'T202611230001', customerId: customer.id, conversationId: conv.lin, category: 'consultation', summary: 'size', ownerId: staff.lin.id, createdAt: sh('2026-11-23T10:00:00'), firstResponseDueAt: sh('2026-11-24T10:00:00'), firstRespondedAt: sh('2026-11-24T12:00:00') },
    });
  }, 90_000);
  afterAll(() => bot.stop());

  const get = async (path: string, who?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${bot.app.url}${path}`, { headers: { ...(who ? { authorization: `Bearer ${staff[who].token}` } : {}), ...headers }, redirect: 'manual' });
    const text = await res.text();
    return { status: res.status, text, json: <T = { message: string }>() => JSON.parse(text) as T };
  };

  test('when an agent asks for the report, then they see only their own surveys and tickets, and a manager sees everyone\'s', async () => {
    const own = (await get(`/dashboard/api/report?${RANGE}`, 'lin')).json<ReportBody>();
    expect(own.period.agent).toBe(staff.lin.id);
    expect(own.satisfaction).toMatchObject({ answered: 1, satisfactionRate: 1 });
    expect(own.byAgent.map((a) => a.agent)).toEqual(['Lin']);
    expect(own.sla[0]).toMatchObject({ category: 'consultation', tickets: 1, response: { met: 0, decided: 1 } });
    expect(own.lowScores).toEqual([]);
    expect(own.segments).toBeNull();
    const all = (await get(`/dashboard/api/report?${RANGE}`, 'manager')).json<ReportBody>();
    expect(all.satisfaction).toMatchObject({ answered: 2, satisfactionRate: 0.5 });
    expect(all.byAgent.map((a) => a.agent).sort()).toEqual(['Ben', 'Lin']);
  });

  test('when a manager filters by agent, channel and trigger, then the figures are those of the rows that match', async () => {
    const ben = (await get(`/dashboard/api/report?${RANGE}&agent=${staff.ben.id}&channel=webchat&trigger=handoff_ended`, 'manager')).json<ReportBody>();
    expect(ben.satisfaction).toMatchObject({ answered: 1, satisfactionRate: 0 });
    expect(ben.lowScores).toEqual([expect.objectContaining({ score: 1, comment: '等了太久', agent: 'Ben' })]);
    const manual = (await get(`/dashboard/api/report?${RANGE}&trigger=manual`, 'manager')).json<ReportBody>();
    expect(manual.satisfaction).toMatchObject({ answered: 0, sent: 0 });
  });

  test('when a manager opens a number, then the rows behind it come with their conversation, and an agent\'s drill-down holds only their own', async () => {
    const low = (await get(`/dashboard/api/rows?figure=lowScores&${RANGE}`, 'manager')).json<RowsBody>();
    expect(low).toMatchObject({ figure: 'lowScores', kind: 'surveys', page: 1, more: false });
    expect(low.rows).toEqual([expect.objectContaining({ score: 1, comment: '等了太久', agent: 'Ben', trigger: 'handoff_ended', channel: 'webchat', conversationId: conv.ben })]);
    const fives = (await get(`/dashboard/api/rows?figure=surveys&score=5&${RANGE}`, 'manager')).json<RowsBody>();
    expect(fives.rows.map((r) => r.conversationId)).toEqual([conv.lin]);
    const late = (await get(`/dashboard/api/rows?figure=responseMissed&${RANGE}`, 'manager')).json<RowsBody>();
    expect(late.rows).toEqual([expect.objectContaining({ number: 'T202611230001', category: 'consultation', owner: 'Lin', conversationId: conv.lin })]);
    expect((await get(`/dashboard/api/rows?figure=lowScores&${RANGE}`, 'lin')).json<RowsBody>().rows).toEqual([]);
  });

  test('when a manager opens a transcript, then the customer\'s words are shown in clear and the opening is in the audit log', async () => {
    const res = await get(`/dashboard/api/conversations/${conv.ben}`, 'manager');
    expect(res.status).toBe(200);
    expect(res.json<{ messages: { sender: string; text: string }[] }>().messages.map((m) => [m.sender, m.text])).toEqual([
      ['customer', '我的手机号是13800138000 (ben)'],
      ['agent', '好的，马上为您处理'],
    ]);
    const audit = await bot.app.store.db.auditLog.findMany({ where: { action: 'conversation.transcript_read', entityId: conv.ben } });
    expect(audit).toEqual([expect.objectContaining({ actorType: 'agent', actorId: staff.manager.id, entity: 'Conversation' })]);
    const page = await get(`/dashboard/conversations/${conv.ben}?lang=zh-CN`, 'manager');
    expect(page.status).toBe(200);
    expect(page.text).toContain('我的手机号是13800138000 (ben)');
  });

  test('when an agent opens transcripts, then their own chat opens and another agent\'s is refused with the reason', async () => {
    expect((await get(`/dashboard/api/conversations/${conv.lin}`, 'lin')).status).toBe(200);
    const other = await get(`/dashboard/api/conversations/${conv.ben}`, 'lin');
    expect(other.status).toBe(403);
    expect(other.json().message).toBe('This conversation is not one of yours: you see the transcripts of your own chats, tickets and surveys only.');
    expect(await bot.app.store.db.auditLog.count({ where: { action: 'conversation.transcript_read', actorId: staff.lin.id, entityId: conv.ben } })).toBe(0);
    expect((await get('/dashboard/api/conversations/nope', 'manager')).status).toBe(404);
  });

  test('when a manager opens the drill-down page, then each row links to its transcript and the page says which number it is', async () => {
    const page = await get(`/dashboard/rows?figure=lowScores&${RANGE}&lang=en-US`, 'manager');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Low scores</h1>');
    expect(page.text).toContain('等了太久');
    expect(page.text).toContain(`href="/dashboard/conversations/${conv.ben}?lang=en-US"`);
    const dashboard = await get(`/dashboard?${RANGE}&lang=en-US`, 'manager');
    expect(dashboard.text).toContain('href="/dashboard/rows?from=2026-11-20&amp;to=2026-11-26&amp;granularity=day&amp;lang=en-US&amp;figure=surveys"');
    expect(dashboard.text).toContain(`<option value="${staff.ben.id}">Ben</option>`);
    const agentPage = await get(`/dashboard?${RANGE}&lang=en-US`, 'lin');
    expect(agentPage.status).toBe(200);
    expect(agentPage.text).not.toContain('name="agent"');
  });

  test.each<[string, string, number, string, Record<string, string>]>([
    [`/dashboard/api/report?${RANGE}`, 'auditor', 403, 'this needs the permission dashboard.read (the role auditor does not have it)', {}],
    ['/dashboard/api/agents', 'lin', 403, 'this needs the permission dashboard.all (the role agent does not have it)', {}],
    [`/dashboard/api/report?${RANGE}&agent=BEN`, 'lin', 403, 'You see only your own figures: the agent filter can only be you.', {}],
    [`/dashboard/api/report?${RANGE}&category=refund`, 'manager', 400, 'Unknown category: refund (known: consultation, complaint', {}],
    [`/dashboard/api/report?${RANGE}&channel=fax`, 'manager', 400, 'Unknown channel: fax', {}],
    [`/dashboard/api/rows?figure=everything&${RANGE}`, 'manager', 400, 'figure must be one of surveys, lowScores, tickets, unresolved, responseMissed, resolutionMissed', {}],
    [`/dashboard/api/rows?figure=surveys&page=0&${RANGE}`, 'manager', 400, 'page must be a whole number from 1', {}],
    [`/dashboard/api/rows?figure=surveys&score=7&${RANGE}`, 'manager', 400, 'Unknown score: 7', {}],
    ['/dashboard/api/report?from=2026-11-26&to=2026-11-01&lang=zh-CN', 'manager', 400, '日期范围颠倒了：开始日期 2026-11-26 晚于结束日期 2026-11-01', {}],
    ['/dashboard/api/report?from=2024-01-01&to=2026-11-26', 'manager', 400, '日期范围共 1061 天，最多 731 天', { 'accept-language': 'zh-CN,zh;q=0.9' }],
    [`/dashboard/api/report?${RANGE}&trigger=email`, 'manager', 400, '未知的评价来源：email', { 'accept-language': 'zh-CN' }],
  ])('when %s is asked by %s, then the answer is %i with the reason', async (path, who, status, reason, headers) => {
    const res = await get(path.replace('BEN', staff.ben.id), who, headers);
    expect(res.status).toBe(status);
    expect(res.json().message).toContain(reason);
  });

  test('when a manager asks for the agents of the filter, then every active agent is listed by name', async () => {
    const { agents } = (await get('/dashboard/api/agents', 'manager')).json<{ agents: { name: string }[] }>();
    expect(agents.map((a) => a.name)).toEqual(expect.arrayContaining(['Ben', 'Lin']));
  });
});
