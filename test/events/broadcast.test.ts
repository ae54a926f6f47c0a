import { Client } from 'pg';
import { PgBroadcast, RECONNECTED_TOPIC, RedisBroadcast, type Broadcast } from '../../src/events/broadcast';
import { pgConnectionFields } from '../../src/store/connection';
import { openTestStore } from '../support/db';

const REDIS_URL = process.env.KEFU_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** The next message on a topic, or a failure naming it. */
function next(broadcast: Broadcast, topic: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic}`)), timeoutMs);
    const off = broadcast.subscribe(topic, (message) => {
      clearTimeout(timer);
      off();
      resolve(message);
    });
  });
}

describe('the broadcast between instances', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  beforeAll(async () => {
    t = await openTestStore('postgresql', 'broadcast');
  }, 60_000);
  afterAll(() => t.close());

  const pg = () =>
    PgBroadcast.start(
      pgConnectionFields(t.database.url),
      async (payload) => {
        await t.store.db.$queryRawUnsafe(`SELECT pg_notify('kefu', $1)::text AS "sent"`, payload);
      },
      () => undefined,
    );

  test('when one PostgreSQL instance publishes, then every instance hears it, itself included', async () => {
    const [a, b] = await Promise.all([pg(), pg()]);
    try {
      const heard = Promise.all([next(a, 'topic.x'), next(b, 'topic.x')]);
      await a.publish('topic.x', 'conversation-1');
      expect(await heard).toEqual(['conversation-1', 'conversation-1']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('when the listening connection is cut (a database restart), then it comes back, says so, and hears again', async () => {
    const [a, b] = await Promise.all([pg(), pg()]);
    const admin = new Client(pgConnectionFields(t.database.url));
    await admin.connect();
    try {
      const reconnected = next(b, RECONNECTED_TOPIC, 10_000);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`);
      await reconnected;
      const heard = next(b, 'topic.y');
      await a.publish('topic.y', 'after');
      expect(await heard).toBe('after');
    } finally {
      await admin.end();
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('when one Redis instance publishes, then every instance hears it', async () => {
    const [a, b] = await Promise.all([RedisBroadcast.start(REDIS_URL, () => undefined), RedisBroadcast.start(REDIS_URL, () => undefined)]);
    try {
      const topic = `topic.redis.${process.pid}.${Date.now()}`;
      const heard = Promise.all([next(a, topic), next(b, topic)]);
      await b.publish(topic, 'conversation-2');
      expect(await heard).toEqual(['conversation-2', 'conversation-2']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
