import { writeAudit } from '../../src/crm/audit';
import { csvCell } from '../../src/features/privacy/auditView';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { StaffBrowser } from '../staff/support';
import { staffOfEveryRole } from './support';

describe.each(PROVIDERS)("the auditor's view and CSV export (%s)", (provider) => {
  const bot = new TestBot(provider);
  const auditor = new StaffBrowser(bot);

  beforeAll(async () => {
    await bot.start();
    await staffOfEveryRole(bot, ['auditor', 'agent']);
    expect((await auditor.signIn('auditor', 'a-long-password-1')).status).toBe(200);
    const rows = [
      { actor: { type: 'agent' as const, id: 'agent-7' }, action: 'points.adjust', entity: 'Customer', entityId: 'cust-1', before: { points: 10 }, after: { points: 20 }, reason: '=HYPERLINK("http://evil.example","click")', at: new Date('2026-11-20T03:00:00Z') },
      { actor: { type: 'customer' as const, id: 'cust-1' }, action: 'customer.update', entity: 'Customer', entityId: 'cust-1', before: { email: 'a@example.com' }, after: { email: 'b@example.com' }, reason: 'moved, "new" e-mail\nsecond line', at: new Date('2026-11-25T03:00:00Z') },
      { actor: { type: 'system' as const, id: 'shop' }, action: 'order.cancel', entity: 'Order', entityId: 'order-9', after: { status: 'CANCELLED' }, reason: '-2+3', at: new Date('2026-11-25T04:00:00Z') },
    ];
    for (const row of rows) await bot.app.store.db.$transaction((tx) => writeAudit(tx, row));
  });
  afterAll(() => bot.stop());

  test('when an auditor filters by entity, actor and date, then the page shows those rows and the chain check', async () => {
    const page = await auditor.request('GET', '/staff/audit?lang=en-US&entity=Customer&from=2026-11-24&to=2026-11-26&verify=1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('customer.update');
    expect(page.text).not.toContain('points.adjust');
    expect(page.text).not.toContain('order.cancel');
    expect(page.text).toMatch(/<p id="chain">Hash chain: intact \(\d+ rows\)<\/p>/);
    const byActor = await auditor.request('GET', '/staff/audit?lang=en-US&actor=agent-7');
    expect(byActor.text).toContain('points.adjust');
    expect(byActor.text).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)');
    expect(byActor.text).toContain('1 rows shown');
  });

  test('when an auditor downloads the CSV, then fields are quoted per RFC 4180, formulas are neutralised, and the export itself is audit-logged', async () => {
    const csv = await auditor.request('GET', '/staff/audit/export.csv?lang=en-US&entity=Customer');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = csv.text.replace(/^\ufeff/, '');
    expect(text.split('\r\n')[0]).toBe('When,Actor,Action,Entity,Entity id,Reason,Before,After');
    expect(text).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    expect(text).toContain(',"moved, ""new"" e-mail\nsecond line",');
    // Personal values are masked in the audit log (issue 17): the export shows what changed, not the address.
    expect(text).toContain(',"{""email"":""a***@example.com""}","{""email"":""b***@example.com""}"');
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(await bot.app.store.db.auditLog.count({ where: { action: 'audit.export' } })).toBe(1);
  });

  test('when nobody is signed in, then the page sends to the sign-in; an agent gets 403', async () => {
    const anonymous = await new StaffBrowser(bot).request('GET', '/staff/audit');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toContain('/staff/signin');
    const agent = new StaffBrowser(bot);
    await agent.signIn('agent', 'a-long-password-1');
    const refused = await agent.request('GET', '/staff/audit?lang=en-US');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Your role (agent) may not see the audit log.');
    expect((await agent.request('GET', '/staff/audit/export.csv')).status).toBe(403);
  });
});
