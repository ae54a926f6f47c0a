import fs from 'node:fs';
import Database from 'better-sqlite3';
import { sqliteFilePath } from '../../src/store/db';
import type { MessageInsert } from '../../src/store/hotStore';
import { timeOrderedId } from '../../src/store/ids';
import { startCheckpointer } from '../../src/store/sqliteCheckpointer';
import { openTestStore } from '../support/db';
import { waitUntil } from '../support/wait';

function message(conversationId: string, customerId: string, n: number): MessageInsert {
  return {
    id: timeOrderedId(),
    conversationId,
    customerId,
    direction: 'INBOUND',
    activityType: 'message',
    activityId: `a-${n}`,
    inboundKey: `a-${n}`,
    replyToId: null,
    text: `message ${n} `.repeat(20),
    attachments: null,
    channelData: null,
    locale: 'zh-CN',
    timestamp: new Date(),
    createdAt: new Date(),
  };
}

describe('SQLite WAL checkpoints in a worker thread', () => {
  test('when turns write on SQLite, then the worker copies the WAL into the database file and no connection checkpoints on the event loop', async () => {
    const t = await openTestStore('sqlite', 'checkpoint');
    try {
      const { store } = t;
      expect(store.hot.backgroundCheckpoints).toBe(true);
      const [autocheckpoint] = await store.db.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>('PRAGMA wal_autocheckpoint');
      expect(Number(autocheckpoint?.wal_autocheckpoint)).toBe(0);

      const customer = await store.db.customer.create({ data: { name: 'WAL' } });
      const conversation = await store.db.conversation.create({
        data: { channelId: 'test', channelConversationId: 'wal', customerId: customer.id, reference: {} },
      });
      const file = sqliteFilePath(t.database.url);
      // The set-up writes (migrations, the rows above) copied into the database file first, by a
      // checkpoint of the test's own, so the size measured next is only what the turns add.
      const setup = new Database(file);
      setup.pragma('wal_checkpoint(PASSIVE)');
      setup.close();
      const before = fs.statSync(file).size;
      for (let n = 0; n < 2000; n++) await store.hot.insertMessages([message(conversation.id, customer.id, n)]);

      // The data reaches the database file itself, not only the -wal file: the worker copies it there.
      await waitUntil(() => fs.statSync(file).size > before + 500_000, 'the worker to checkpoint 2000 messages into the database file', { timeoutMs: 5000, everyMs: 50 });
      expect(await store.db.message.count({ where: { conversationId: conversation.id } })).toBe(2000);
    } finally {
      await t.close();
    }
  });

  test('when the store closes, then the worker stops after a last checkpoint and the WAL is empty', async () => {
    const t = await openTestStore('sqlite', 'checkpointclose');
    const file = sqliteFilePath(t.database.url);
    try {
      const customer = await t.store.db.customer.create({ data: { name: 'close' } });
      const conversation = await t.store.db.conversation.create({
        data: { channelId: 'test', channelConversationId: 'close', customerId: customer.id, reference: {} },
      });
      for (let n = 0; n < 200; n++) await t.store.hot.insertMessages([message(conversation.id, customer.id, n)]);
      await t.store.close();
      const wal = `${file}-wal`;
      expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
    } finally {
      await t.database.drop();
    }
  });

  test('when the worker cannot open the database, then starting it fails (the store falls back to automatic checkpoints)', async () => {
    await expect(startCheckpointer('/nonexistent-dir/kefu.db', { intervalMs: 50 })).rejects.toThrow();
  });
});
