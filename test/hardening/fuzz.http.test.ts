import fc from 'fast-check';
import { TestBot } from '../support/harness';

/** Bounded property-based fuzzing of the public routes: whatever arrives, no 5xx and the bot stays up. */
describe('fuzzing the HTTP API', () => {
  const bot = new TestBot('sqlite', { RATE_LIMIT_MESSAGES_PER_MINUTE: '100000', RATE_LIMIT_TOKENS_PER_MINUTE: '100000' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  const paths = fc.constantFrom(
    '/api/messages',
    '/webchat/api/token',
    '/v3/directline/tokens/generate',
    '/v3/directline/tokens/refresh',
    '/v3/directline/conversations',
    '/v3/directline/conversations/x/activities',
    '/v3/directline/conversations/x/upload',
    '/api/tickets/T202611260001/status',
    '/api/tickets/T202611260001/comments',
  );
  const bodies = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 4 }),
    fc.record({ type: fc.constantFrom('message', 'event', ''), text: fc.string(), channelId: fc.string(), serviceUrl: fc.webUrl(), conversation: fc.record({ id: fc.string() }), from: fc.record({ id: fc.string() }), replyToId: fc.anything(), timestamp: fc.string() }).map((o) => JSON.stringify(o)),
  );
  const contentTypes = fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded');
  const encodings = fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity');

  test('when random bodies, types and encodings are posted to the routes, then no answer is a 5xx and the bot stays up', async () => {
    await fc.assert(
      fc.asyncProperty(paths, bodies, contentTypes, encodings, async (path, body, type, encoding) => {
        const headers: Record<string, string> = { 'content-type': type, authorization: 'Bearer x' };
        if (encoding) headers['content-encoding'] = encoding;
        const res = await fetch(`${bot.app.url}${path}`, { method: 'POST', headers, body });
        await res.arrayBuffer();
        return res.status < 500;
      }),
      { numRuns: 150, seed: 14 },
    );
    expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
