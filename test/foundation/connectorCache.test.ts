import { ClaimsIdentity } from 'botframework-connector';
import { CachingBotFrameworkAuthentication } from '../../src/bot/connectorCache';

describe('connector clients kept between turns', () => {
  const auth = new CachingBotFrameworkAuthentication({});
  const anonymous = new ClaimsIdentity([], true);

  test('when two turns reply to the same channel service, then they share one client; another service gets its own', async () => {
    const first = await auth.createConnectorFactory(anonymous).create('http://127.0.0.1:9/a');
    const again = await auth.createConnectorFactory(anonymous).create('http://127.0.0.1:9/a');
    const other = await auth.createConnectorFactory(anonymous).create('http://127.0.0.1:9/b');
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(other.conversations).toBeDefined();
  });

  test('when another bot (another app id in the claims) replies to the same service, then it gets a client of its own', async () => {
    const mine = await auth.createConnectorFactory(anonymous).create('http://127.0.0.1:9/c');
    const skill = new ClaimsIdentity([{ type: 'aud', value: 'other-bot' }, { type: 'appid', value: 'other-bot' }, { type: 'ver', value: '1.0' }], true);
    const theirs = await auth.createConnectorFactory(skill).create('http://127.0.0.1:9/c').catch((err: unknown) => err);
    expect(theirs).not.toBe(mine);
  });

  test('when two inbound turns are authenticated (the path every customer message takes), then their replies share one client and one token client', async () => {
    const activity = { type: 'message', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:9/d', conversation: { id: 'c1' }, from: { id: 'u1' } };
    const first = await auth.authenticateRequest(activity as never, '');
    const second = await auth.authenticateRequest(activity as never, '');
    const a = await first.connectorFactory!.create(activity.serviceUrl, first.audience);
    const b = await second.connectorFactory!.create(activity.serviceUrl, second.audience);
    expect(b).toBe(a);
    expect(await auth.createUserTokenClient(second.claimsIdentity)).toBe(await auth.createUserTokenClient(first.claimsIdentity));
  });
});
