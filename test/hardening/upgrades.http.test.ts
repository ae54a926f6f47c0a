import net from 'node:net';
import { TestBot } from '../support/harness';

/** Sends a WebSocket upgrade request for `path` on a raw socket; resolves with what came back once the server closed it. */
function upgrade(url: string, path: string): { socket: net.Socket; closed: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve(received))) };
}

describe('WebSocket upgrades', () => {
  const bot = new TestBot('sqlite');
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when a client asks to upgrade a path that is not a stream, then it is answered 404 and its socket closed', async () => {
    for (const path of ['/', '/api/messages', '/v3/directline/conversations/x/nostream', '/%zz']) {
      const { closed } = upgrade(bot.app.url, path);
      expect(await closed).toMatch(/^HTTP\/1\.1 (404|400) /);
    }
  });

  test('when a stream upgrade has no valid token, then 403 and its socket closed', async () => {
    const { closed } = upgrade(bot.app.url, '/v3/directline/conversations/abc/stream?t=forged');
    expect(await closed).toMatch(/^HTTP\/1\.1 403 /);
  });

  test('when many upgrades to other paths were made, then the server still stops (SIGTERM completes)', async () => {
    const sockets = Array.from({ length: 50 }, () => upgrade(bot.app.url, '/anything'));
    await Promise.all(sockets.map((s) => s.closed));
    await bot.app.stop();
    await bot.restart(); // afterAll stops it again
  });
});
