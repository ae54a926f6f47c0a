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
});
