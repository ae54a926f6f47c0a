import { runEventsCli } from '../../src/cli/events';
import { LocalBroadcast } from '../../src/events/broadcast';
import { EventDispatcher } from '../../src/events/dispatcher';
import { EventLog, type DomainEvent } from '../../src/events/eventLog';
import { createLogger } from '../../src/logger';
import { openTestStore, PROVIDERS } from '../support/db';

describe.each(PROVIDERS)('dead letters for an operator: npm run events (%s)', (provider) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  beforeAll(async () => {
    t = await openTestStore(provider, 'deadletters');
  }, 60_000);
  afterAll(() => t.close());

  async function cli(...args: string[]): Promise<{ code: number; text: string }> {
    let text = '';
    const code = await runEventsCli(args, (s) => (text += s), t.database.url);
    return { code, text };
  }

  test('when a subscriber failed every attempt, then the operator sees the delivery with its error, retries it, and it is delivered once', async () => {
    let down = true;
    const delivered: DomainEvent[] = [];
    const events = new EventLog(provider);
    events.subscribe({
      name: 'shop-webhook',
      types: ['order.changed'],
      handle: async (event) => {
        if (down) throw new Error('shop answered 503');
        delivered.push(event);
      },
    });
    let at = new Date(); // the command line stamps a retry with the wall clock
    const dispatcher = new EventDispatcher(
      { db: t.store.db, provider, events, broadcast: new LocalBroadcast(), logger: createLogger('silent') },
      { clock: () => at, maxAttempts: 2 },
    );
    const [eventId] = await t.store.db.$transaction((tx) => events.record(tx, [{ type: 'order.changed', subject: 'Order:A1', payload: { status: 'SHIPPED' } }], at));
    await dispatcher.runUntilIdle();
    at = new Date(at.getTime() + 3_600_000);
    await dispatcher.runUntilIdle();

    const listed = await cli('dead');
    expect(listed.code).toBe(0);
    expect(listed.text).toContain('order.changed Order:A1 -> shop-webhook  after 2 attempts: shop answered 503');
    const [deliveryId] = listed.text.split(' ');

    expect(await cli('retry', 'no-such-delivery')).toEqual({ code: 65, text: '0 delivery(ies) queued again (1 not dead or unknown)\n' });
    down = false;
    expect(await cli('retry', deliveryId)).toEqual({ code: 0, text: '1 delivery(ies) queued again\n' });
    expect(await dispatcher.runUntilIdle()).toBe(1);
    expect(delivered.map((e) => e.id)).toEqual([eventId]);
    expect((await cli('dead')).text).toBe('no dead deliveries\n');
    const row = await t.store.db.eventDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect([row.status, row.attempts]).toEqual(['DONE', 1]);
  });

  test('when the command is unknown or retry has no ids, then the usage is printed with a usage exit code and nothing changes', async () => {
    expect((await cli('purge')).code).toBe(64);
    const retry = await cli('retry');
    expect(retry.code).toBe(64);
    expect(retry.text).toContain('retry needs delivery ids or --all');
  });
});
