import { AppError } from '../../src/errors';
import { DashboardReports } from '../../src/features/dashboard/report';
import type { Store } from '../../src/store/db';
import { sh } from '../support/clock';
import { PROVIDERS, openTestStore } from '../support/db';

/*
 * Every figure on a small data set whose values are worked out by hand below. The range is November
 * 2026 (30 days, shop time); the previous range is 2 - 31 October. "Now" is 30 Nov 12:00.
 */
const NOW = sh('2026-11-30T12:00:00');

describe.each(PROVIDERS)('dashboard figures on %s', (provider) => {
  let store: Store;
  let close: () => Promise<void>;
  let reports: DashboardReports;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ store, close } = await openTestStore(provider, 'dashboard'));
    reports = new DashboardReports({ db: store.db, provider, timeZone: 'Asia/Shanghai', clock: () => NOW, lowScore: 2 });
    const db = store.db;
    const customer = await db.customer.create({ data: { name: 'Figures' } });
    const conversation = await db.conversation.create({ data: { channelId: 'test', channelConversationId: 'figures', customerId: customer.id, reference: {} } });
    ids.conversation = conversation.id;
    ids.a = (await db.agent.create({ data: { name: '林小美', role: 'agent', tokenHash: 'a' } })).id;
    ids.b = (await db.agent.create({ data: { name: 'Ben', role: 'agent', tokenHash: 'b' } })).id;

    // 20 orders in November, 10 in the previous range (2 - 31 Oct), 1 before it.
    const order = (n: number, at: Date) => ({ number: `KF${String(n).padStart(12, '0')}`, customerId: customer.id, status: 'PAID' as const, itemsTotal: 100, total: 100, shippingName: 'x', shippingPhone: '1', shippingAddress: 'x', createdAt: at });
    await db.order.createMany({ data: Array.from({ length: 20 }, (_, i) => order(i, sh(`2026-11-${String(i + 1).padStart(2, '0')}T10:00:00`))) });
    await db.order.createMany({ data: Array.from({ length: 10 }, (_, i) => order(100 + i, sh(`2026-10-${String(i + 2).padStart(2, '0')}T10:00:00`))) });
    await db.order.create({ data: order(200, sh('2026-10-01T10:00:00')) });

    const ticket = (number: string, t: { category: 'consultation' | 'complaint' | 'return' | 'repair'; owner?: string; created: string; responseDue?: string; responded?: string; resolutionDue?: string; resolved?: string }) =>
      db.ticket.create({
        data: {
          number,
          customerId: customer.id,
          category: t.category,
          summary: number,
          ownerId: t.owner ?? null,
          createdAt: sh(t.created),
          firstResponseDueAt: t.responseDue ? sh(t.responseDue) : null,
          firstRespondedAt: t.responded ? sh(t.responded) : null,
          resolutionDueAt: t.resolutionDue ? sh(t.resolutionDue) : null,
          resolvedAt: t.resolved ? sh(t.resolved) : null,
        },
      });
    await ticket('T1', { category: 'consultation', owner: ids.a, created: '2026-11-02T10:00:00', responseDue: '2026-11-03T10:00:00', responded: '2026-11-02T15:00:00', resolved: '2026-11-04T10:00:00' }); // response met
    await ticket('T2', { category: 'consultation', owner: ids.a, created: '2026-11-10T10:00:00', responseDue: '2026-11-11T10:00:00', responded: '2026-11-12T10:00:00' }); // response missed
    await ticket('T3', { category: 'complaint', owner: ids.b, created: '2026-11-05T10:00:00', resolutionDue: '2026-11-07T10:00:00', resolved: '2026-11-06T10:00:00' }); // resolution met
    ids.t4 = (await ticket('T4', { category: 'complaint', owner: ids.b, created: '2026-11-20T10:00:00', resolutionDue: '2026-11-22T10:00:00' })).id; // resolution missed (past due, open)
    await ticket('T5', { category: 'complaint', created: '2026-11-29T10:00:00', resolutionDue: '2026-12-01T10:00:00' }); // undecided
    await ticket('T6', { category: 'return', owner: ids.a, created: '2026-11-26T10:00:00', responseDue: '2026-11-27T10:00:00', responded: '2026-11-27T09:00:00', resolved: '2026-11-28T10:00:00' }); // response met
    await ticket('T7', { category: 'repair', created: '2026-11-28T10:00:00', responseDue: '2026-12-01T18:00:00' }); // undecided
    await ticket('T8', { category: 'complaint', created: '2026-10-15T10:00:00' }); // previous range

    let n = 0;
    const survey = (s: { status: string; sent?: string; score?: number; nps?: number; agent?: string; comment?: string; followUp?: string }) =>
      db.survey.create({
        data: {
          customerId: customer.id,
          conversationId: conversation.id,
          trigger: 'ticket_resolved',
          channelId: 'test',
          locale: 'zh-CN',
          status: s.status,
          sendAfter: s.sent ? sh(s.sent) : NOW,
          sentAt: s.sent ? sh(s.sent) : null,
          answeredAt: s.score ? sh(s.sent!) : null,
          score: s.score ?? null,
          nps: s.nps ?? null,
          agentId: s.agent ?? null,
          comment: s.comment ?? null,
          followUpTicketId: s.followUp ?? null,
          causeKey: `figures:${++n}`,
        },
      });
    await survey({ status: 'ANSWERED', sent: '2026-11-02T11:00:00', score: 5, nps: 10, agent: ids.a });
    await survey({ status: 'ANSWERED', sent: '2026-11-03T11:00:00', score: 4, nps: 9, agent: ids.a });
    ids.low2 = (await survey({ status: 'ANSWERED', sent: '2026-11-10T11:00:00', score: 2, nps: 3, agent: ids.b, comment: '太慢了', followUp: ids.t4 })).id;
    await survey({ status: 'ANSWERED', sent: '2026-11-24T11:00:00', score: 5, agent: ids.b });
    ids.low1 = (await survey({ status: 'ANSWERED', sent: '2026-11-25T11:00:00', score: 1, nps: 6 })).id;
    await survey({ status: 'SENT', sent: '2026-11-26T11:00:00' });
    await survey({ status: 'EXPIRED', sent: '2026-11-05T11:00:00' });
    await survey({ status: 'SKIPPED' });
    await survey({ status: 'ANSWERED', sent: '2026-10-30T11:00:00', score: 1 }); // before the range
  }, 60_000);
  afterAll(() => close());

  test('when a manager asks for November, then satisfaction, CSAT, NPS and response rate are those worked out by hand', async () => {
    const report = await reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'week' });
    // 5 answers: 5, 4, 2, 5, 1 -> 3 of 5 are 4-5; mean 17 / 5; NPS answers 10, 9, 3, 6 -> (2 - 2) / 4; 7 sent (5 answered, 1 open, 1 expired).
    expect(report.satisfaction).toEqual({ answered: 5, sent: 7, satisfactionRate: 0.6, csatAverage: 3.4, nps: 0, responseRate: 5 / 7, distribution: { '1': 1, '2': 1, '3': 0, '4': 1, '5': 2 } });
    expect(report.targets).toEqual({ satisfactionRate: 0.9, resolutionRate: 0.85 });
    expect(report.period).toMatchObject({ previousFrom: '2026-10-02', previousTo: '2026-10-31' });
  });

  test('when a manager looks at the weekly trend and per agent, then each ISO week and each agent has its own figures', async () => {
    const report = await reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'week' });
    expect(report.trend.map((w) => [w.period, w.answered, w.sent, w.satisfactionRate])).toEqual([
      ['2026-W45', 2, 3, 1],
      ['2026-W46', 1, 1, 0],
      ['2026-W48', 2, 3, 0.5],
    ]);
    expect(report.byAgent.find((a) => a.agentId === ids.a)).toMatchObject({ agent: '林小美', answered: 2, satisfactionRate: 1, responseWithinSla: 2 / 3, resolutionWithinSla: null });
    expect(report.byAgent.find((a) => a.agentId === ids.b)).toMatchObject({ agent: 'Ben', answered: 2, satisfactionRate: 0.5, csatAverage: 3.5, responseWithinSla: null, resolutionWithinSla: 0.5 });
    const quarters = await reports.report({ from: '2026-10-01', to: '2026-11-30', granularity: 'quarter' });
    expect(quarters.trend.map((q) => [q.period, q.answered])).toEqual([['2026-Q4', 6]]);
  });

  test('when a manager looks at service, then SLA per ticket kind, resolution rate and complaints per 100 orders are those worked out by hand', async () => {
    const report = await reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'day' });
    expect(report.sla).toEqual([
      { category: 'consultation', tickets: 2, response: { met: 1, decided: 2, rate: 0.5 }, resolution: { met: 0, decided: 0, rate: null } },
      { category: 'complaint', tickets: 3, response: { met: 0, decided: 0, rate: null }, resolution: { met: 1, decided: 2, rate: 0.5 } },
      { category: 'return', tickets: 1, response: { met: 1, decided: 1, rate: 1 }, resolution: { met: 0, decided: 0, rate: null } },
      { category: 'exchange', tickets: 0, response: { met: 0, decided: 0, rate: null }, resolution: { met: 0, decided: 0, rate: null } },
      { category: 'repair', tickets: 1, response: { met: 0, decided: 0, rate: null }, resolution: { met: 0, decided: 0, rate: null } },
    ]);
    // 3 of 7 tickets resolved; 3 complaints / 20 orders = 15 per 100, against 1 / 10 = 10 before: up 50 %.
    expect(report.tickets).toEqual({ opened: 7, resolved: 3, resolutionRate: 3 / 7 });
    expect(report.complaints).toEqual({ complaints: 3, orders: 20, rate: 15, previousRate: 10, change: 0.5 });
  });

  test('when a manager opens the low scores, then each comes with its comment, conversation, agent and follow-up ticket, newest first', async () => {
    const report = await reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'day' });
    expect(report.lowScores).toEqual([
      { surveyId: ids.low1, score: 1, comment: null, answeredAt: sh('2026-11-25T11:00:00').toISOString(), conversationId: ids.conversation, trigger: 'ticket_resolved', agent: null, followUpTicket: null },
      { surveyId: ids.low2, score: 2, comment: '太慢了', answeredAt: sh('2026-11-10T11:00:00').toISOString(), conversationId: ids.conversation, trigger: 'ticket_resolved', agent: 'Ben', followUpTicket: 'T4' },
    ]);
  });

  test.each<[Record<string, string>, string]>([
    [{ from: '2026-11-30', to: '2026-11-01' }, 'The range runs backwards: from 2026-11-30 is after to 2026-11-01'],
    [{ from: '2020-01-01', to: '2026-11-30' }, 'The range is 2526 days long; at most 731 days'],
    [{ from: '2026-02-30' }, 'from must be a date YYYY-MM-DD, not "2026-02-30"'],
    [{ shop: 'web' }, 'Unknown filter: shop (use from, to, granularity, agent, category, channel, trigger)'],
    [{ category: 'refund' }, 'Unknown category: refund (known: consultation, complaint, return, exchange, repair, order_issue, privacy_request, other)'],
    [{ trigger: 'email' }, 'Unknown trigger: email (known: ticket_resolved, task_finished, handoff_ended, followup_visit, manual)'],
    [{ granularity: 'hour' }, 'granularity must be one of day, week, quarter'],
  ])('when the query is %j, then it is refused with the reason', (query, reason) => {
    expect(() => reports.parse(query)).toThrow(AppError);
    expect(() => reports.parse(query)).toThrow(reason);
  });

  test('when no range is given, then the last 30 days up to today are reported by day', () => {
    expect(reports.parse({})).toEqual({ from: '2026-11-01', to: '2026-11-30', granularity: 'day' });
  });

  test('when a manager filters by agent, then the satisfaction and the service figures are that agent\'s own, worked out by hand', async () => {
    const report = await reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'day', agent: ids.b });
    // Ben: answers 2 and 5; tickets T3 (resolved in time) and T4 (open, past due): both complaints.
    expect(report.satisfaction).toMatchObject({ answered: 2, sent: 2, satisfactionRate: 0.5, csatAverage: 3.5, nps: -100 });
    expect(report.tickets).toEqual({ opened: 2, resolved: 1, resolutionRate: 0.5 });
    expect(report.complaints).toMatchObject({ complaints: 2, orders: 20, rate: 10 });
    expect(report.byAgent.map((a) => a.agent)).toEqual(['Ben']);
    expect(report.lowScores.map((l) => l.surveyId)).toEqual([ids.low2]);
  });

  test('when a manager filters by ticket kind, channel or trigger, then only the matching surveys and tickets are counted', async () => {
    const range = { from: '2026-11-01', to: '2026-11-30', granularity: 'day' as const };
    const complaints = await reports.report({ ...range, category: 'complaint' });
    expect(complaints.tickets).toEqual({ opened: 3, resolved: 1, resolutionRate: 1 / 3 });
    expect(complaints.satisfaction).toMatchObject({ answered: 0, sent: 0, satisfactionRate: null });
    const test = await reports.report({ ...range, channel: 'test', trigger: 'ticket_resolved' });
    expect(test.satisfaction).toMatchObject({ answered: 5, sent: 7, satisfactionRate: 0.6 });
    // The seeded tickets were opened outside any conversation: none is on a channel.
    expect(test.tickets.opened).toBe(0);
    const manual = await reports.report({ ...range, trigger: 'manual' });
    expect(manual.satisfaction).toMatchObject({ answered: 0, sent: 0 });
    expect(manual.trend).toEqual([]);
  });

  test('when an agent asks, then they get their own figures only, and asking for another agent\'s is forbidden', async () => {
    const own = await reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'day' }, { viewer: { id: ids.a, seesAll: false } });
    expect(own.period.agent).toBe(ids.a);
    expect(own.satisfaction).toMatchObject({ answered: 2, satisfactionRate: 1 });
    expect(own.tickets).toEqual({ opened: 3, resolved: 2, resolutionRate: 2 / 3 });
    expect(own.byAgent.map((a) => a.agent)).toEqual(['林小美']);
    expect(own.lowScores).toEqual([]);
    await expect(reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'day', agent: ids.b }, { viewer: { id: ids.a, seesAll: false } })).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('when a filter names an agent or a channel the shop does not have, then it is refused with the reason', async () => {
    await expect(reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'day', agent: 'nope' })).rejects.toThrow('Unknown agent: nope');
    await expect(reports.report({ from: '2026-11-01', to: '2026-11-30', granularity: 'day', channel: 'web' }, { locale: 'zh-CN' })).rejects.toThrow('未知的渠道：web');
  });

  test('when the range is refused for a Chinese-speaking manager, then the reason is in Chinese', () => {
    expect(() => reports.parse({ from: '2026-11-30', to: '2026-11-01' }, 'zh-CN')).toThrow('日期范围颠倒了：开始日期 2026-11-30 晚于结束日期 2026-11-01');
  });
});
