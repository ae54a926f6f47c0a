import { PROVIDERS } from '../support/db';
import { sh } from '../support/clock';
import { TestBot } from '../support/harness';
import { createStaffAccount } from '../staff/support';
import { customer, order } from './support';

/*
 * The managers' segment figures in the dashboard (its JSON API, page and CSV) on a hand-made history,
 * November 2026 up to the app's "now" (Thursday 2026-11-26 10:00, Shanghai):
 *   stage at 1 Nov:  c1 active, c2 active, c3 dormant, c4 new, c5 lost
 *   on 10 Nov:       c2 active -> dormant, c3 dormant -> lost; class c1 medium -> high
 *   churn = lost in the month / not lost at its start = 1 / 4; retention = new or active at both ends / at the start = 2 / 3
 *   repurchase: c1 ordered twice in November, c2 once (c4's order was cancelled) -> 1 / 2
 *   care: c2's win-back sent and converted; c1's follow-up capped; c4's birthday greeting replied and opted out
 */
describe.each(PROVIDERS)('segment figures in the dashboard on %s', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });
  let token = '';
  beforeAll(async () => {
    await bot.start();
    token = (await createStaffAccount(bot, { name: '王经理', role: 'manager', login: 'wang', password: 'correct horse battery' })).token;
    const db = bot.app.store.db;
    const oct10 = sh('2026-10-10T02:30:00');
    const nov10 = sh('2026-11-10T02:30:00');
    const c: string[] = [];
    for (let i = 1; i <= 5; i++) c.push((await customer(db, `c${i}`, sh('2026-01-01T00:00:00'))).id);
    const stages = ['active', 'active', 'dormant', 'new', 'lost'];
    const classes = ['medium', 'medium', 'low', 'potential', 'low'];
    for (let i = 0; i < 5; i++) {
      await db.segmentChange.create({ data: { customerId: c[i], kind: 'stage', toValue: stages[i], runId: 'r1', createdAt: oct10 } });
      await db.segmentChange.create({ data: { customerId: c[i], kind: 'class', toValue: classes[i], runId: 'r1', createdAt: oct10 } });
    }
    await db.segmentChange.createMany({
      data: [
        { customerId: c[1], kind: 'stage', fromValue: 'active', toValue: 'dormant', runId: 'r2', createdAt: nov10 },
        { customerId: c[2], kind: 'stage', fromValue: 'dormant', toValue: 'lost', runId: 'r2', createdAt: nov10 },
        { customerId: c[0], kind: 'class', fromValue: 'medium', toValue: 'high', runId: 'r2', createdAt: nov10 },
      ],
    });
    const now = [['high', 'active'], ['medium', 'dormant'], ['low', 'lost'], ['potential', 'new'], ['low', 'lost']];
    for (let i = 0; i < 5; i++) {
      await db.customerSegment.create({ data: { customerId: c[i], frequency: 0, monetary: 0, rScore: 0, fScore: 0, mScore: 0, valueClass: now[i][0], stage: now[i][1], changedAt: nov10, runId: 'r2' } });
    }
    await order(db, c[0], sh('2026-11-03T12:00:00'), 100);
    await order(db, c[0], sh('2026-11-12T12:00:00'), 100);
    await order(db, c[1], sh('2026-11-12T12:00:00'), 100);
    await order(db, c[3], sh('2026-11-12T12:00:00'), 100, { status: 'CANCELLED' });
    await order(db, c[2], sh('2026-10-12T12:00:00'), 100);
    const care = (customerId: string, kind: string, at: Date, extra: Record<string, unknown>) =>
      db.careMessage.create({ data: { customerId, kind, causeKey: `${kind}:${customerId}`, sendAfter: at, createdAt: at, ...extra } });
    await care(c[1], 'winback', nov10, { status: 'SENT', sentAt: nov10, convertedAt: sh('2026-11-12T12:00:00') });
    await care(c[0], 'followup', sh('2026-11-05T10:00:00'), { status: 'SKIPPED', skipReason: 'capped' });
    await care(c[3], 'birthday', sh('2026-11-20T10:00:00'), { status: 'SENT', sentAt: sh('2026-11-20T10:00:00'), repliedAt: sh('2026-11-20T10:05:00'), optedOutAt: sh('2026-11-20T10:05:00') });
  }, 90_000);
  afterAll(() => bot.stop());

  const get = async (path: string) => {
    const res = await fetch(`${bot.app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, text: await res.text() };
  };

  test('when a manager asks for November, then churn, retention, repurchase, the distribution, the movements and the care outcomes are the hand-worked ones', async () => {
    const res = await get('/dashboard/api/report?from=2026-11-01&to=2026-11-26');
    expect(res.status).toBe(200);
    const { segments } = JSON.parse(res.text) as { segments: Record<string, unknown> };
    expect(segments).toMatchObject({
      churnTarget: 0.05,
      months: [{ month: '2026-11', base: 4, lost: 1, churnRate: 0.25, active: 3, kept: 2, retention: 2 / 3, turnedDormant: 1 }],
      repurchase: { buyers: 2, repeat: 1, rate: 0.5 },
      distribution: { classes: { high: 1, medium: 1, low: 2, potential: 1 }, stages: { new: 1, active: 1, dormant: 1, lost: 2 } },
      movements: [
        { kind: 'class', from: 'medium', to: 'high', count: 1 },
        { kind: 'stage', from: 'active', to: 'dormant', count: 1 },
        { kind: 'stage', from: 'dormant', to: 'lost', count: 1 },
      ],
      winback: { sent: 1, converted: 1, rate: 1 },
      care: [
        { kind: 'birthday', planned: 1, sent: 1, skipped: 0, replied: 1, optedOut: 1, converted: 0 },
        { kind: 'holiday', planned: 0, sent: 0 },
        { kind: 'winback', planned: 1, sent: 1, converted: 1 },
        { kind: 'followup', planned: 1, sent: 0, skipped: 1 },
      ],
    });
  });

  test('when a manager opens the page and the churn CSV, then the churn is shown against its 5 % ceiling, in their language', async () => {
    const page = await get('/dashboard?from=2026-11-01&to=2026-11-26&lang=en-US');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<div class="kpi below" id="kpi-churnRate"><div class="label">Churn \(last month of the range\)<\/div><div class="value">25\.0%<\/div><div class="note">target at most 5\.0%<\/div>/);
    expect(page.text).toContain('<section id="care">');
    const csv = await get('/dashboard/export.csv?table=churn&from=2026-11-01&to=2026-11-26&lang=zh-CN');
    expect(csv.status).toBe(200);
    expect(csv.text.replace(/^\ufeff/, '').trim().split('\r\n')).toEqual(['月份,月初未流失,流失,流失率,月初活跃,仍活跃,留存率,转为沉睡', '2026-11,4,1,25.0%,3,2,66.7%,1']);
  });
});
