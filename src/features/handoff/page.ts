import path from 'node:path';
import { htmlPageCsp } from '../../http/securityHeaders';
import type { Request, Response, Server } from 'restify';
import type { Locale } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import { can, staffLocale, type Staff } from '../../staff';

const ENTRY = path.join(__dirname, 'ui', 'console.jsx');

/** The console's script: React 18 and the app, bundled by esbuild from node_modules once per process, on first use (no CDN). */
export class ConsoleBundle {
  private built?: Promise<string>;

  constructor(private readonly logger: Logger) {}

  get(): Promise<string> {
    this.built ??= (async () => {
      const esbuild = await import('esbuild');
      const result = await esbuild
        .build({
        entryPoints: [ENTRY],
        bundle: true,
        write: false,
        format: 'iife',
        minify: true,
        jsx: 'automatic',
        target: ['chrome100', 'firefox100', 'safari15'],
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
        })
        // esbuild's service process would keep the bot (and a test run) alive: the bundle is built once.
        .finally(() => esbuild.stop());
      return result.outputFiles[0].text;
    })().catch((err: unknown) => {
      this.built = undefined;
      this.logger.error({ err }, 'agent console: bundling failed');
      throw err;
    });
    return this.built;
  }
}

/** The console's words in one language, as the nested object the UI reads (agentConsole.ui.*). */
function consoleTexts(i18n: I18n, locale: Locale): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const prefix = 'agentConsole.ui.';
  for (const key of i18n.keys(locale).filter((k) => k.startsWith(prefix))) {
    const parts = key.slice(prefix.length).split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = i18n.raw(locale, key);
  }
  return out;
}

function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * GET /agent             the console (signed-in staff with chats.read; others are sent to /staff/signin, or 403)
 * GET /agent/console.js  its script
 */
export function registerConsolePage(server: Server, deps: { staff: Staff; i18n: I18n; bundle: ConsoleBundle; defaultLocale: Locale; logger: Logger }): void {
  server.get('/agent', async (req: Request, res: Response) => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const locale = staffLocale(query.lang, req.headers['accept-language'], deps.defaultLocale);
    const auth = await deps.staff.guard.authenticate(req.headers);
    if (!auth || auth.via !== 'session') {
      res.writeHead(302, { location: `/staff/signin?lang=${locale}&next=${encodeURIComponent('/agent')}`, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (!can(auth.member.role, 'chats.read')) {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
      res.end(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><p id="forbidden">${deps.i18n.t(locale, 'agentConsole.ui.forbidden', { role: auth.member.role }).replace(/[<>&"]/g, '')}</p></html>`);
      return;
    }
    const texts = consoleTexts(deps.i18n, locale);
    const title = deps.i18n.t(locale, 'agentConsole.ui.title');
    const html = `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.replace(/[<>&"]/g, '')}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/agent/console.css">
</head>
<body>
<div id="root"></div>
<script type="application/json" id="kefu-console">${scriptJson({ locale, texts, member: auth.member, csrfToken: auth.csrfToken })}</script>
<script src="/agent/console.js" defer></script>
</body>
</html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-language': locale, 'content-security-policy': htmlPageCsp(html) });
    res.end(html);
  });

  server.get('/agent/console.js', async (_req: Request, res: Response) => {
    try {
      const js = await deps.bundle.get();
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(js);
    } catch {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('console script unavailable');
    }
  });

  server.get('/agent/console.css', async (_req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(CONSOLE_CSS);
  });
}

const CONSOLE_CSS = `
body { margin: 0; font-family: system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; background: #f3f5f8; color: #1d2433; font-size: 14px; }
header { display: flex; align-items: center; gap: 12px; padding: 10px 16px; background: #1f2937; color: #fff; }
header h1 { font-size: 16px; margin: 0; flex: 1; }
header select, header button { font-size: 13px; }
main { display: grid; grid-template-columns: 280px 1fr 320px; gap: 12px; padding: 12px; height: calc(100vh - 70px); box-sizing: border-box; }
section { background: #fff; border-radius: 8px; padding: 12px; overflow: auto; box-shadow: 0 1px 4px rgba(0,0,0,.06); }
h2 { font-size: 14px; margin: 0 0 8px; color: #4b5563; }
.item { border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px; margin-bottom: 8px; }
.item.selected { border-color: #1f6feb; background: #eef4ff; }
.muted { color: #6b7280; font-size: 12px; }
.alerts { margin: 12px 12px 0; padding: 8px 12px; }
.alert { background: #fff7e6; border: 1px solid #f5c26b; border-radius: 6px; padding: 6px 8px; margin-bottom: 6px; }
.chat { display: flex; flex-direction: column; height: 100%; }
.transcript { flex: 1; overflow: auto; padding: 4px; }
.msg { margin: 6px 0; max-width: 80%; padding: 6px 10px; border-radius: 8px; white-space: pre-wrap; }
.msg.customer { background: #f1f5f9; }
.msg.agent { background: #dbeafe; margin-left: auto; }
.msg.bot, .msg.system { background: #fef9c3; font-size: 12px; }
.compose { display: flex; gap: 8px; margin-top: 8px; }
.compose textarea { flex: 1; min-height: 48px; font: inherit; padding: 6px; }
button { cursor: pointer; border: 0; border-radius: 6px; padding: 6px 10px; background: #1f6feb; color: #fff; }
button.secondary { background: #e5e7eb; color: #111827; }
.typing { min-height: 18px; margin-top: 4px; }
.tools { border-top: 1px dashed #e5e7eb; margin-top: 8px; padding-top: 6px; }
.tools .compose textarea { min-height: 28px; background: #fffbeb; }
.ticket-form { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 6px; }
.ticket-form textarea { flex-basis: 100%; min-height: 48px; font: inherit; }
.note { background: #fffbeb; }
.watching { margin-top: 8px; }
.canned { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.error { color: #b91c1c; margin: 6px 0; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 10px; margin: 0; }
dt { color: #6b7280; }
`;
