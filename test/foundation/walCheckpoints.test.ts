import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteCheckpointer, type CheckpointResult } from '../../src/store/sqliteCheckpointer';
import { sqliteFilePath } from '../../src/store/connection';
import { timeOrderedId } from '../../src/store/ids';
import type { MessageRow } from '../../src/store/turnStore';
import { openTestStore } from '../support/db';

/**
 * On SQLite the turn's connection never checkpoints the WAL (a checkpoint inside a commit copies pages
 * and waits for two fsyncs on the event loop): a worker thread does, with a connection of its own.
 */
describe('WAL checkpoints on SQLite', () => {
  test('when turns are written, then the worker copies them into the database file itself, and the turn\'s connection never checkpoints', async () => {
    const t = await openTestStore('sqlite', 'walckpt');
    try {
      const { store } = t;
      expect(store.checkpointer?.running).toBe(true);
      const customer = await store.db.customer.create({ data: { name: 'WAL' } });
      const conversation = await store.db.conversation.create({ data: { channelId: 'test', channelConversationId: 'wal', customerId: customer.id, reference: {} } });
      const reply = (n: number): MessageRow => ({
        id: timeOrderedId(), conversationId: conversation.id, customerId: customer.id, direction: 'OUTBOUND', senderType: 'bot', senderId: null, activityType: 'message',
        activityId: `r${n}`, inboundKey: null, replyToId: null, text: `reply ${n}`, attachments: null, channelData: null, locale: 'en-US', timestamp: new Date(), createdAt: new Date(),
      });
      for (let n = 0; n < 50; n++) await store.turns.finishTurn({ replies: [reply(n)], conversationId: conversation.id, at: new Date(), locale: null });
      expect(await store.db.$queryRawUnsafe('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0n }]);

      // Wait for a checkpoint that has copied every frame written so far.
      let result: CheckpointResult;
      do result = await store.checkpointer!.next();
      while (result.log === 0 || result.checkpointed < result.log);

      // The database file alone (without its WAL) holds the replies.
      const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-wal-')), 'copy.db');
      fs.copyFileSync(sqliteFilePath(store.url), copy);
      const alone = new Database(copy, { readonly: true });
      try {
        expect(alone.prepare('SELECT count(*) AS n FROM "Message" WHERE "conversationId" = ?').get(conversation.id)).toEqual({ n: 50 });
      } finally {
        alone.close();
        fs.rmSync(path.dirname(copy), { recursive: true, force: true });
      }
    } finally {
      await t.close();
    }
  });

  test('when the worker cannot checkpoint (here: it cannot open the file), then the connection checkpoints by itself again and the failure is reported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-wal-'));
    const connection = new Database(path.join(dir, 'kefu.db'));
    connection.pragma('journal_mode = WAL');
    try {
      const failure = new Promise<Error>((resolve) => {
        const checkpointer = new SqliteCheckpointer(connection, { file: path.join(dir, 'no such folder', 'kefu.db'), onFailure: resolve });
        expect(checkpointer.running).toBe(true);
      });
      expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      expect((await failure).message).toMatch(/unable to open|directory does not exist|no such/i);
      expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      connection.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
