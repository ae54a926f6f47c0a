import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyAuditChain } from '../../src/crm/auditChain';
import { CustomerService } from '../../src/crm/customers';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { waitUntil } from '../support/wait';
import { call, everyRow, staffOfEveryRole } from './support';

const PHONE = '13912345678';
const EMAIL = 'grep.me.please@example.com';
const ADDRESS = '上海市浦东新区秘密路88号';
const NEW_EMAIL = 'second.address@example.com';

describe.each(PROVIDERS)('change requests for customer data, end to end (%s)', (provider) => {
  const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-uploads-'));
  const bot = new TestBot(provider, { WEBCHAT_UPLOAD_DIR: uploads, WEBCHAT_PUBLIC_URL: 'https://shop.example' });
  let staff: Record<string, { id: string; token: string }>;
  let second: Record<string, { id: string; token: string }>;

  beforeAll(async () => {
    await bot.start();
    staff = await staffOfEveryRole(bot, ['agent', 'supervisor', 'crm_head', 'admin']);
    second = await staffOfEveryRole(bot, ['supervisor'], '2');
  });
  afterAll(async () => {
    await bot.stop();
    fs.rmSync(uploads, { recursive: true, force: true });
  });

  /** A customer who chatted (so they can be told), with a locale. */
  async function customerInChat(conversationId: string, locale: 'zh-CN' | 'en-US'): Promise<string> {
    await bot.say({ conversationId, text: locale === 'zh-CN' ? '你好' : 'hello', locale });
    const conversation = await bot.app.store.db.conversation.findFirstOrThrow({ where: { channelConversationId: conversationId } });
    await bot.app.store.db.customer.update({ where: { id: conversation.customerId! }, data: { locale } });
    return conversation.customerId!;
  }

  /** The conversation's texts once `count` of them match (the dispatcher may deliver in its own round, woken by the commit). */
  const notices = async (conversationId: string, match: string, count = 1) => {
    await bot.app.dispatcher.runUntilIdle();
    await waitUntil(() => bot.listener.texts(conversationId).filter((t) => t.includes(match)).length >= count, `${count} notice(s) with "${match}"`);
    return bot.listener.texts(conversationId);
  };

  const open = (token: string, body: unknown) => call(bot, 'POST', '/staff/api/change-requests', token, body);
  const decide = (id: string, step: string, token: string, decision: string, reason?: string) => call(bot, 'POST', `/staff/api/change-requests/${id}/${step}`, token, { decision, ...(reason === undefined ? {} : { reason }) });

  test('when a deletion is approved by a supervisor and the CRM head and carried out by an admin, then no personal data is left anywhere, orders and the audit trail remain, and the customer is told', async () => {
    const db = bot.app.store.db;
    const customerId = await customerInChat('priv-del', 'zh-CN');
    await db.customer.update({ where: { id: customerId }, data: { name: '秘密先生', phone: PHONE, email: EMAIL, address: ADDRESS, externalId: 'SHOP-SECRET-1' } });
    await db.order.create({ data: { number: 'KF202611260777', customerId, status: 'DELIVERED', itemsTotal: 9900, total: 9900, shippingName: '秘密先生', shippingPhone: PHONE, shippingAddress: ADDRESS, createdAt: new Date(), items: { create: [{ sku: 'SKU-1', name: '保温杯', quantity: 1, unitPrice: 9900 }] } } });
    await new CustomerService(db, bot.app.events).updateContact(customerId, 'email', NEW_EMAIL, { type: 'customer', id: customerId }, 'the customer corrected their own e-mail in chat');
    await bot.say({ conversationId: 'priv-del', text: `我的电话是 ${PHONE}，地址 ${ADDRESS}` });
    fs.writeFileSync(path.join(uploads, 'photo-secret.jpg'), 'not really a photo');
    const conversation = await db.conversation.findFirstOrThrow({ where: { customerId } });
    await db.message.create({ data: { conversationId: conversation.id, customerId, direction: 'INBOUND', activityType: 'message', timestamp: new Date(), attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://shop.example/webchat/uploads/photo-secret.jpg' }] } });
    const auditBefore = await db.auditLog.count();

    const noReason = await open(staff.agent.token, { customerId, kind: 'delete' });
    expect(noReason.status).toBe(400);
    expect(noReason.json.message).toContain('reason');
    const opened = await open(staff.agent.token, { customerId, kind: 'delete', reason: 'the customer asked by phone to delete their data' });
    expect(opened.status).toBe(201);
    const id = String((opened.json.request as { id: string }).id);
    expect(opened.json.request).toMatchObject({ status: 'AWAITING_SUPERVISOR', stepDueAt: '2026-11-27T02:00:00.000Z', dueAt: '2026-12-10T02:00:00.000Z' });

    expect((await decide(id, 'crm-head', staff.crm_head.token, 'approve', 'looks right')).status).toBe(409);
    expect((await decide(id, 'supervisor', staff.supervisor.token, 'approve')).status).toBe(400);
    expect((await decide(id, 'supervisor', staff.agent.token, 'approve', 'I approve myself')).status).toBe(403);
    expect((await decide(id, 'supervisor', staff.supervisor.token, 'approve', 'identity checked by call-back')).json.request).toMatchObject({ status: 'AWAITING_CRM_HEAD' });
    expect((await decide(id, 'supervisor', second.supervisor.token, 'approve', 'again')).status).toBe(409);
    expect((await decide(id, 'crm-head', staff.crm_head.token, 'approve', 'no legal hold on this customer')).json.request).toMatchObject({ status: 'AWAITING_EXECUTION' });
    expect((await decide(id, 'execute', staff.supervisor.token, 'approve', 'I will do it')).status).toBe(403);
    const done = await decide(id, 'execute', staff.admin.token, 'approve', 'anonymised as approved');
    expect(done.status).toBe(200);
    expect(done.json.request).toMatchObject({ status: 'DONE', executor: { id: staff.admin.id } });

    expect((await notices('priv-del', '已按您的要求删除您的数据')).filter((t) => t.includes('已按您的要求删除您的数据'))).toHaveLength(1);

    const leaks = (await everyRow(bot.app.store)).filter(({ row }) => [PHONE, EMAIL, NEW_EMAIL, ADDRESS, '秘密先生', 'SHOP-SECRET-1'].some((pii) => row.includes(pii)));
    expect(leaks).toEqual([]);
    expect(fs.existsSync(path.join(uploads, 'photo-secret.jpg'))).toBe(false);
    const order = await db.order.findUniqueOrThrow({ where: { number: 'KF202611260777' }, include: { items: true } });
    expect(order).toMatchObject({ customerId, total: 9900, items: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(await db.auditLog.count()).toBeGreaterThan(auditBefore);
    const trail = await db.auditLog.findMany({ where: { entity: 'ChangeRequest', entityId: id }, orderBy: { seq: 'asc' } });
    expect(trail.map((r) => [r.action, r.actorId, r.reason])).toEqual([
      ['change_request.open', staff.agent.id, 'the customer asked by phone to delete their data'],
      ['change_request.supervisor.approve', staff.supervisor.id, 'identity checked by call-back'],
      ['change_request.crm_head.approve', staff.crm_head.id, 'no legal hold on this customer'],
      ['change_request.execution.approve', staff.admin.id, 'anonymised as approved'],
    ]);
    const masked = await db.auditLog.findFirstOrThrow({ where: { entity: 'Customer', entityId: customerId, action: 'customer.update' } });
    expect(masked).toMatchObject({ before: null, after: null, reason: 'the customer corrected their own e-mail in chat' });
    expect(masked.maskedAt).not.toBeNull();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  test('when a step refuses, then the request ends there with its reason and the customer is told in their language', async () => {
    const customerId = await customerInChat('priv-refuse', 'en-US');
    const ids: string[] = [];
    for (const kind of ['export', 'delete', 'correct'] as const) {
      const r = await open(staff.agent.token, { customerId, kind, reason: 'asked at the counter', ...(kind === 'correct' ? { details: { field: 'email', value: 'fixed@example.com' } } : {}) });
      expect(r.status).toBe(201);
      ids.push(String((r.json.request as { id: string }).id));
    }
    const [byExport, byDelete, byCorrect] = ids;
    expect((await decide(byExport, 'supervisor', staff.supervisor.token, 'refuse', 'we could not verify the identity')).json.request).toMatchObject({ status: 'REFUSED', refused: { step: 'supervisor', reason: 'we could not verify the identity' } });
    await decide(byDelete, 'supervisor', staff.supervisor.token, 'approve', 'identity checked');
    expect((await decide(byDelete, 'crm-head', staff.crm_head.token, 'refuse', 'an open dispute needs the data')).json.request).toMatchObject({ status: 'REFUSED', refused: { step: 'crm_head' } });
    await decide(byCorrect, 'supervisor', staff.supervisor.token, 'approve', 'identity checked');
    await decide(byCorrect, 'crm-head', staff.crm_head.token, 'approve', 'fine');
    expect((await decide(byCorrect, 'execute', staff.admin.token, 'refuse', 'the address is already right')).json.request).toMatchObject({ status: 'REFUSED', refused: { step: 'execution' } });
    expect((await decide(byCorrect, 'execute', staff.admin.token, 'approve', 'changed my mind')).status).toBe(409);

    const told = await notices('priv-refuse', 'was not approved', 3);
    expect(told.filter((t) => t.includes('was not approved')).sort()).toEqual([
      'Your request for a copy of your data was not approved. The reason: we could not verify the identity. If you have questions, just write to us here.',
      'Your request to delete your data was not approved. The reason: an open dispute needs the data. If you have questions, just write to us here.',
      'The correction of your data you asked for was not approved. The reason: the address is already right.',
    ].sort());
    expect((await bot.app.store.db.customer.findUniqueOrThrow({ where: { id: customerId } })).email).toBeNull();
  });

  test('when an export is carried out, then the customer gets a one-time link to a JSON package of their data', async () => {
    const customerId = await customerInChat('priv-export', 'en-US');
    await bot.app.store.db.customer.update({ where: { id: customerId }, data: { email: 'mine@example.com' } });
    const id = String(((await open(staff.agent.token, { customerId, kind: 'export', reason: 'customer asked for a copy' })).json.request as { id: string }).id);
    await decide(id, 'supervisor', staff.supervisor.token, 'approve', 'identity checked');
    await decide(id, 'crm-head', staff.crm_head.token, 'approve', 'approved');
    const executed = await decide(id, 'execute', staff.admin.token, 'approve', 'package released');
    expect(executed.json).toMatchObject({ request: { status: 'DONE' } });
    const all = await notices('priv-export', '/privacy/export/');
    const notice = all.find((t) => t.includes('/privacy/export/')) ?? '';
    const link = /https:\/\/shop\.example(\/privacy\/export\/[\w-]+)/.exec(notice);
    expect(notice).toContain('Your copy of your data is ready');
    expect(notice).toContain('one download, valid for 72 hours');
    const first = await fetch(`${bot.app.url}${link![1]}`);
    expect(first.status).toBe(200);
    const pkg = (await first.json()) as { customer: { email: string }; conversations: { messages: { text: string }[] }[] };
    expect(pkg.customer.email).toBe('mine@example.com');
    expect(pkg.conversations[0].messages.some((m) => m.text === 'hello')).toBe(true);
    expect((await fetch(`${bot.app.url}${link![1]}`)).status).toBe(410);
    expect(await bot.app.store.db.auditLog.count({ where: { action: 'customer.export_downloaded', entityId: customerId } })).toBe(1);
  });
});
