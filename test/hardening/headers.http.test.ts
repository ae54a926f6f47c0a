import fs from 'node:fs';
import { sqliteFilePath } from '../../src/store/connection';
import { TestBot } from '../support/harness';

describe('security headers and private files', () => {
  const bot = new TestBot('sqlite');
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when any page, API answer or error is fetched, then it carries nosniff, no framing, no referrer and a CSP', async () => {
    for (const path of ['/', '/healthz', '/webchat/embed.js', '/api/nothing-here', '/api/tickets']) {
      const res = await fetch(`${bot.app.url}${path}`);
      expect([path, res.headers.get('x-content-type-options')]).toEqual([path, 'nosniff']);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    }
  });

  test('when the demo page is served, then its CSP allows its own inline script by hash and nothing inline from elsewhere', async () => {
    const res = await fetch(`${bot.app.url}/?lang=en-US`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toMatch(/connect-src 'self' ws: wss:/);
  });

  test('when the SQLite store is created, then its file is readable by the bot\'s user only', () => {
    const file = sqliteFilePath(bot.database.url);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    for (const extra of [`${file}-wal`, `${file}-shm`]) {
      if (fs.existsSync(extra)) expect(fs.statSync(extra).mode & 0o077).toBe(0);
    }
  });
});

describe('garbled request headers', () => {
  const bot = new TestBot('sqlite');
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when the demo cookie holds a broken escape, then the demo sign-in answers "not signed in" (204), not 500', async () => {
    const res = await fetch(`${bot.app.url}/webchat/demo/identity`, { method: 'POST', headers: { cookie: 'kefu_demo_customer=%E0%A4%A' } });
    expect(res.status).toBe(204);
  });
});
