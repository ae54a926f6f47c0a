import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { waitUntil } from '../support/wait';
import { StaffBrowser } from '../staff/support';
import { call, staffOfEveryRole } from './support';

/** Posts the page's form as a browser does (urlencoded, the session cookie, the site's Origin). */
async function postForm(bot: TestBot, browser: StaffBrowser, path: string, fields: Record<string, string>) {
  const res = await fetch(`${bot.app.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: browser.cookie, origin: bot.app.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

describe.each(PROVIDERS)('the change requests page for staff (%s)', (provider) => {
  const bot = new TestBot(provider);
  let staff: Record<string, { id: string; token: string }>;
  const as: Record<string, StaffBrowser> = {};

  beforeAll(async () => {
    await bot.start();
    staff = await staffOfEveryRole(bot, ['agent', 'supervisor', 'crm_head', 'admin', 'auditor']);
    for (const role of ['agent', 'supervisor', 'crm_head', 'admin', 'auditor']) {
      as[role] = new StaffBrowser(bot);
      expect((await as[role].signIn(role.replace('_', '-'), 'a-long-password-1')).status).toBe(200);
    }
  });
  afterAll(() => bot.stop());

  /** A customer who chatted in `locale`, and their change request opened by an agent through the API. */
  async function requestFor(conversationId: string, locale: 'zh-CN' | 'en-US', body: Record<string, unknown>): Promise<{ id: string; customerId: string }> {
    await bot.say({ conversationId, text: locale === 'zh-CN' ? '你好' : 'hello', locale });
    const conversation = await bot.app.store.db.conversation.findFirstOrThrow({ where: { channelConversationId: conversationId } });
    const customerId = conversation.customerId!;
    await bot.app.store.db.customer.update({ where: { id: customerId }, data: { locale, name: locale === 'zh-CN' ? '周女士' : 'Ms Jones' } });
    const opened = await call(bot, 'POST', '/staff/api/change-requests', staff.agent.token, { customerId, ...body });
    expect(opened.status).toBe(201);
    return { id: (opened.json.request as { id: string }).id, customerId };
  }

  const rowOf = (html: string, id: string) => html.split(`<tr data-id="${id}">`)[1]?.split('</tr>')[0] ?? '';

  test('when a supervisor, the CRM head and an admin each decide their step on the page, then the correction is made, every step is audit-logged with its reason, and the customer is told', async () => {
    const { id, customerId } = await requestFor('page-correct', 'en-US', { kind: 'correct', reason: 'the customer wrote their e-mail wrong at sign-up', details: { field: 'email', value: 'jones.new@example.com' } });

    const agentView = await as.agent.request('GET', '/staff/changes?lang=en-US');
    expect(agentView.status).toBe(200);
    expect(rowOf(agentView.text, id)).toContain('Waits for a supervisor.');
    expect(rowOf(agentView.text, id)).not.toContain('<form');

    const page = await as.supervisor.request('GET', '/staff/changes?lang=en-US');
    const row = rowOf(page.text, id);
    expect(row).toContain('Ms Jones');
    expect(row).toContain('Correct data<br>e-mail: jones.new@example.com');
    expect(row).toContain('Waiting for a supervisor');
    expect(row).toContain('name="decision" value="approve">Approve</button>');

    const approved = await postForm(bot, as.supervisor, `/staff/changes/${id}?lang=en-US`, { csrf: as.supervisor.csrf, decision: 'approve', reason: 'checked against the order records' });
    expect(approved.status).toBe(303);
    expect(approved.location).toBe(`/staff/changes?lang=en-US&done=approve&id=${id}`);
    const after = await as.supervisor.request('GET', approved.location!);
    expect(after.text).toContain(`Request ${id} approved: it moves to the next step.`);
    expect(rowOf(after.text, id)).toContain('Waits for the CRM head.');

    const head = await postForm(bot, as.crm_head, `/staff/changes/${id}?lang=en-US`, { csrf: as.crm_head.csrf, decision: 'approve', reason: 'the supervisor checked it' });
    expect(head.status).toBe(303);
    const adminPage = await as.admin.request('GET', '/staff/changes?lang=en-US');
    expect(rowOf(adminPage.text, id)).toContain('value="approve">Carry out</button>');
    const done = await postForm(bot, as.admin, `/staff/changes/${id}?lang=en-US`, { csrf: as.admin.csrf, decision: 'approve', reason: 'carried out as approved' });
    expect(done.status).toBe(303);
    expect(done.location).toContain('done=execute');

    const customer = await bot.app.store.db.customer.findUniqueOrThrow({ where: { id: customerId } });
    expect(customer.email).toBe('jones.new@example.com');
    const steps = await bot.app.store.db.auditLog.findMany({ where: { entity: 'ChangeRequest', entityId: id }, orderBy: { seq: 'asc' } });
    expect(steps.map((s) => [s.action, s.actorId, s.reason])).toEqual([
      ['change_request.open', staff.agent.id, 'the customer wrote their e-mail wrong at sign-up'],
      ['change_request.supervisor.approve', staff.supervisor.id, 'checked against the order records'],
      ['change_request.crm_head.approve', staff.crm_head.id, 'the supervisor checked it'],
      ['change_request.execution.approve', staff.admin.id, 'carried out as approved'],
    ]);
    await bot.app.dispatcher.runUntilIdle();
    await waitUntil(() => bot.listener.texts('page-correct').some((t) => t.includes('The correction of your data you asked for has been made.')), 'the customer is told');

    const all = await as.auditor.request('GET', '/staff/changes?lang=en-US&all=1');
    expect(rowOf(all.text, id)).toContain('Carried out');
    expect(rowOf(all.text, id)).toContain('Supervisor supervisor approved');
    const open = await as.auditor.request('GET', '/staff/changes?lang=en-US');
    expect(open.text).not.toContain(`data-id="${id}"`);
  });

  test('when a decision comes without a reason, without the session token, from the wrong role or after someone else decided, then it is refused in words and nothing changes', async () => {
    const { id } = await requestFor('page-refusals', 'zh-CN', { kind: 'delete', reason: '客户在对话中要求删除数据' });
    const path = `/staff/changes/${id}?lang=zh-CN`;

    const noReason = await postForm(bot, as.supervisor, path, { csrf: as.supervisor.csrf, decision: 'approve', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('请填写审批原因（至少 3 个字），原因会记入审计日志。');
    expect(rowOf(noReason.text, id)).toContain('待主管审批');

    const noToken = await postForm(bot, as.supervisor, path, { csrf: 'not-this-session', decision: 'approve', reason: '核实无误' });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('表单已过期，或不是从本站提交的：请刷新页面后重新审批。');

    const wrongRole = await postForm(bot, as.crm_head, path, { csrf: as.crm_head.csrf, decision: 'approve', reason: '越级审批' });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.text).toContain('您的角色（crm_head）不能审批该申请的这一环节。');

    const anonymous = await postForm(bot, new StaffBrowser(bot), path, { decision: 'approve', reason: '核实无误' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toContain('/staff/signin');

    expect((await bot.app.store.db.changeRequest.findUniqueOrThrow({ where: { id } })).status).toBe('AWAITING_SUPERVISOR');

    const refused = await postForm(bot, as.supervisor, path, { csrf: as.supervisor.csrf, decision: 'refuse', reason: '客户已撤回申请' });
    expect(refused.status).toBe(303);
    const late = await postForm(bot, as.supervisor, path, { csrf: as.supervisor.csrf, decision: 'approve', reason: '核实无误' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('该申请在此期间已有变化');
    const row = await bot.app.store.db.changeRequest.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('REFUSED');
    expect(row.refusalReason).toBe('客户已撤回申请');
    await bot.app.dispatcher.runUntilIdle();
    await waitUntil(() => bot.listener.texts('page-refusals').some((t) => t.includes('客户已撤回申请')), 'the customer is told the reason');
  });

  test('when two supervisors decide the same step at once, then one decision counts and the other is told the request moved on', async () => {
    const second = await staffOfEveryRole(bot, ['supervisor'], '2');
    expect(second.supervisor.id).toBeTruthy();
    const other = new StaffBrowser(bot);
    await other.signIn('supervisor2', 'a-long-password-1');
    const { id } = await requestFor('page-race', 'en-US', { kind: 'export', reason: 'the customer asked for a copy in chat' });
    const path = `/staff/changes/${id}?lang=en-US`;
    const [a, b] = await Promise.all([
      postForm(bot, as.supervisor, path, { csrf: as.supervisor.csrf, decision: 'approve', reason: 'identity checked' }),
      postForm(bot, other, path, { csrf: other.csrf, decision: 'refuse', reason: 'not enough proof' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(303);
    const loser = a.status === 303 ? b : a;
    expect(loser.status).toBe(409);
    expect(loser.text).toContain('This request has moved on meanwhile');
    expect(await bot.app.store.db.auditLog.count({ where: { entity: 'ChangeRequest', entityId: id, action: { startsWith: 'change_request.supervisor.' } } })).toBe(1);
  });

  test('when nobody is signed in, then the page sends to the sign-in; signed in, it speaks the language asked for', async () => {
    const anonymous = await new StaffBrowser(bot).request('GET', '/staff/changes');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toContain('/staff/signin');
    const zh = await as.auditor.request('GET', '/staff/changes?lang=zh-CN');
    expect(zh.text).toContain('<h1>客户数据变更申请</h1>');
    const en = await as.auditor.request('GET', '/staff/changes?lang=en-US');
    expect(en.text).toContain('<h1>Customer data change requests</h1>');
  });
});
