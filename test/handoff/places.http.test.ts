import { HandoffTestBot, PROVIDERS } from './support';

/*
 * "You have moved up": waiting customers are told their new place when it gets better, at most once a
 * minute and only when it changed. The app runs on the tests' clock (Thursday 2026-11-26, Shanghai).
 */
describe.each(PROVIDERS)('places in line on %s', (provider) => {
  const bot = new HandoffTestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', HANDOFF_MAX_WAIT_MINUTES: '60' });
  const at = (time: string) => bot.at(time);

  beforeAll(async () => {
    await bot.startWithStaff();
  });
  afterAll(() => bot.stop());

  test('when customers ahead are served, then each one waiting is told their better place, not within a minute of the last notice, and not again without a change', async () => {
    at('10:00:00');
    await bot.lin.request('POST', '/agent/api/presence', { status: 'online' });
    await bot.zhao.request('POST', '/agent/api/presence', { status: 'online' });
    expect(await bot.write('place-a', '转人工')).toEqual([expect.stringContaining('排在第 1 位')]);
    at('10:00:10');
    expect(await bot.write('place-b', '转人工')).toEqual([expect.stringContaining('排在第 2 位')]);
    at('10:00:20');
    expect(await bot.write('place-c', 'talk to a person', 'en-US')).toEqual([expect.stringContaining('number 3 in line')]);
    const [a, b] = [await bot.handoffOf('place-a'), await bot.handoffOf('place-b')];

    // A is served 20 s after B and C were told their places: too soon to tell them again.
    at('10:00:30');
    const heardBefore = [bot.listener.for('place-b').length, bot.listener.for('place-c').length];
    expect((await bot.lin.request('POST', `/agent/api/chats/${a.id}/accept`, {})).status).toBe(200);

    // The minute's job tells both.
    expect(await bot.app.features.handoff.places.tellMoves(at('10:01:30'))).toBe(2);
    expect(bot.listener.texts('place-b').slice(heardBefore[0])).toEqual([expect.stringContaining('现在排在第 1 位')]);
    expect(bot.listener.texts('place-c').slice(heardBefore[1])).toEqual(['You have moved up: you are now number 2 in line, about 6 min to go.']);
    expect(await bot.handoffOf('place-c')).toMatchObject({ positionTold: 2 });

    // Nothing changed: nobody is told again.
    expect(await bot.app.features.handoff.places.tellMoves(at('10:02:40'))).toBe(0);

    // B is served more than a minute after C was told: C hears at once.
    at('10:03:00');
    const heard = bot.listener.for('place-c').length;
    expect((await bot.zhao.request('POST', `/agent/api/chats/${b.id}/accept`, {})).status).toBe(200);
    await bot.listener.waitFor(heard + 1, 'place-c');
    expect(bot.listener.texts('place-c').at(-1)).toContain('now number 1 in line');
    expect(await bot.handoffOf('place-c')).toMatchObject({ positionTold: 1, positionToldAt: bot.clock.now() });
  });
});
