import net from 'node:net';
import { TestBot } from '../support/harness';

/** Sends `GET path` on `socket` and resolves with the status of the answer (0 if the socket closes first). */
function ask(socket: net.Socket, path: string): Promise<number> {
  return new Promise((resolve) => {
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (status && head.includes('\r\n\r\n')) done(Number(status[1]));
    };
    const onClose = () => done(0);
    const done = (status: number) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(status);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', () => undefined);
    if (!socket.destroyed) socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    else done(0);
  });
}

/**
 * Channels and browsers keep connections open between requests and come back on them. A server
 * that closes an idle connection first (Node's default is after 5 s) races every client that
 * comes back just then: the request is cut without an answer ("other side closed"). The bot keeps
 * idle connections longer than common clients' pools, so the client is always the side that closes.
 */
describe('kept-alive connections', () => {
  const bot = new TestBot('sqlite');
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when a client comes back on its kept connection after 6 idle seconds, then its request is answered', async () => {
    const { port } = new URL(bot.app.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    try {
      expect(await ask(socket, '/healthz')).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await ask(socket, '/healthz')).toBe(200);
    } finally {
      socket.destroy();
    }
  }, 30_000);

  test('when the bot answers, then it tells clients how long it keeps an idle connection', async () => {
    const res = await fetch(`${bot.app.url}/healthz`);
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });
});
