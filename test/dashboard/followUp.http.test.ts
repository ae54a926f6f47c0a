import { sh } from '../support/clock';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { createStaffAccount } from '../staff/support';

/*
 * The follow-up visits' questions on the dashboard, over the real server, on a data set worked out by
 * hand. Range 2026-11-20 - 26 (today is 2026-11-26 in Shanghai). Visits sent in the range:
 *   V1 answered   service 5, product 4, price 2, overall 5
 *   V2 answered   service 3, product 3, price 4, overall 4
 *   V3 expired    service 4, product 1 (stopped there)
 *   V4 answered   short form: overall 2
 * Not counted: V5, a visit sent on 11-10 (all 1s), and a handoff survey scored 1.
 *   service  3 answers, (5+3+4)/3 = 4.00, 4-5: 2/3 = 66.7 %
 *   product  3 answers, (4+3+1)/3 = 2.67, 4-5: 1/3 = 33.3 %
 *   price    2 answers, (2+4)/2   = 3.00, 4-5: 1/2 = 50.0 %
 *   overall  3 answers, (5+4+2)/3 = 3.67, 4-5: 2/3 = 66.7 %
 */
interface Figures {
  followUp: { question: string; answered: number; average: number | null; satisfactionRate: number | null }[];
}
interface RowsBody {
  rows: { surveyId: string; serviceScore: number | null; productScore: number | null; priceScore: number | null; score: number | null }[];
}

describe.each(PROVIDERS)('follow-up visit figures on the dashboard on %s', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });
  const RANGE = 'from=2026-11-20&to=2026-11-26';
  const ids: Record<string, string> = {};
  let token = '';

  beforeAll(async () => {
    await bot.start();
    bot.clock.set(sh('2026-11-26T12:00:00'));
    token = (await createStaffAccount(bot, { name: '王经理', role: 'manager', login: 'manager', password: 'correct horse battery' })).token;
    const db = bot.app.store.db;
    const customer = await db.customer.create({ data: { name: '回访' } });
    const conversation = await db.conversation.create({ data: { channelId: 'webchat', channelConversationId: 'visits', customerId: customer.id, reference: {} } });
    const visit = (key: string, v: { status: string; sent: string; service?: number; product?: number; price?: number; score?: number; trigger?: string }) =>
      db.survey
        .create({
          data: {
            customerId: customer.id,
            conversationId: conversation.id,
            trigger: v.trigger ?? 'followup_visit',
            channelId: 'webchat',
            locale: 'zh-CN',
            status: v.status,
            stage: v.status === 'ANSWERED' ? 'done' : 'price',
            sendAfter: sh(v.sent),
            sentAt: sh(v.sent),
            answeredAt: v.score ? sh(v.sent) : null,
            serviceScore: v.service ?? null,
            productScore: v.product ?? null,
            priceScore: v.price ?? null,
            score: v.score ?? null,
            causeKey: `visit:${key}`,
          },
        })
        .then((s) => (ids[key] = s.id));
    await visit('V1', { status: 'ANSWERED', sent: '2026-11-20T10:00:00', service: 5, product: 4, price: 2, score: 5 });
    await visit('V2', { status: 'ANSWERED', sent: '2026-11-22T10:00:00', service: 3, product: 3, price: 4, score: 4 });
    await visit('V3', { status: 'EXPIRED', sent: '2026-11-23T10:00:00', service: 4, product: 1 });
    await visit('V4', { status: 'ANSWERED', sent: '2026-11-26T09:00:00', score: 2 });
    await visit('V5', { status: 'ANSWERED', sent: '2026-11-10T10:00:00', service: 1, product: 1, price: 1, score: 1 });
    await visit('H1', { status: 'ANSWERED', sent: '2026-11-24T10:00:00', score: 1, trigger: 'handoff_ended' });
  }, 90_000);
  afterAll(() => bot.stop());

  const get = async (path: string) => {
    const res = await fetch(`${bot.app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, text, json: <T>() => JSON.parse(text) as T };
  };

  test('when a manager asks for the range, then each question\'s answers, average and satisfaction rate are those worked out by hand', async () => {
    const report = (await get(`/dashboard/api/report?${RANGE}`)).json<Figures>();
    const rounded = report.followUp.map((q) => [q.question, q.answered, q.average === null ? null : Math.round(q.average * 100) / 100, q.satisfactionRate === null ? null : Math.round(q.satisfactionRate * 1000) / 10]);
    expect(rounded).toEqual([
      ['service', 3, 4, 66.7],
      ['product', 3, 2.67, 33.3],
      ['price', 2, 3, 50],
      ['overall', 3, 3.67, 66.7],
    ]);
    const other = (await get(`/dashboard/api/report?${RANGE}&trigger=handoff_ended`)).json<Figures>();
    expect(other.followUp.map((q) => [q.question, q.answered, q.average])).toEqual([['service', 0, null], ['product', 0, null], ['price', 0, null], ['overall', 0, null]]);
  });

  test('when a manager opens a question\'s figure, then the visits that answered it are listed with every answer', async () => {
    const price = (await get(`/dashboard/api/rows?figure=followUp&question=price&${RANGE}`)).json<RowsBody>();
    expect(price.rows.map((r) => [r.surveyId, r.serviceScore, r.productScore, r.priceScore, r.score])).toEqual([
      [ids.V2, 3, 3, 4, 4],
      [ids.V1, 5, 4, 2, 5],
    ]);
    const service = (await get(`/dashboard/api/rows?figure=followUp&question=service&${RANGE}`)).json<RowsBody>();
    expect(service.rows.map((r) => r.surveyId)).toEqual([ids.V3, ids.V2, ids.V1]);
    const refused = await get(`/dashboard/api/rows?figure=followUp&question=delivery&${RANGE}`);
    expect(refused.status).toBe(400);
    expect(refused.json<{ message: string }>().message).toContain('Unknown question: delivery (known: service, product, price, overall)');
  });

  test('when a manager exports the table or opens the page, then the same figures are there, in their language, with the drill-down links', async () => {
    const csv = await get(`/dashboard/export.csv?table=followUpQuestions&${RANGE}&lang=en-US`);
    expect(csv.text.replace('\ufeff', '').split('\r\n')).toEqual([
      'Question,Answered,Average,Satisfaction',
      'Service,3,4.00,66.7%',
      'Product quality,3,2.67,33.3%',
      'Fair price,2,3.00,50.0%',
      'Overall satisfaction,3,3.67,66.7%',
      '',
    ]);
    const page = await get(`/dashboard?${RANGE}&lang=zh-CN`);
    expect(page.text).toContain('售后回访：分项评分');
    expect(page.text).toContain('href="/dashboard/rows?from=2026-11-20&amp;to=2026-11-26&amp;granularity=day&amp;lang=zh-CN&amp;figure=followUp&amp;question=price">价格合理性</a>');
    const rows = await get(`/dashboard/rows?figure=followUp&question=price&${RANGE}&lang=zh-CN`);
    expect(rows.text).toContain('<h1>售后回访的回答 (价格合理性)</h1>');
    expect(rows.text).toContain('<th>服务</th><th>质量</th><th>价格</th>');
  });
});
