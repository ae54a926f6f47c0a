import { htmlPageCsp } from '../../http/securityHeaders';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { BaseConfig } from '../../config/schema';
import { SUPPORTED_LOCALES } from '../../config/locales';
import { sendError } from '../../http/errors';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { DEMO_CUSTOMER_PREFIX, demoCustomerHighlights } from '../../store/seed';
import { StaticAsset, loadWebChatBundle } from './assets';
import type { WebchatConfig } from './config';
import { applyCors, claimsFor, identityFrom } from './directline/requests';
import { DirectLineError, type DirectLineService } from './directline/service';
import type { TokenService } from './directline/tokens';
import { ShopPage, pageLocale } from './page';

const PUBLIC_DIR = path.join(__dirname, 'public');
/** The demo page's stand-in for a shop session (set by the page's account select). */
const DEMO_COOKIE_PATTERN = /(?:^|;\s*)kefu_demo_customer=([^;]*)/;
const DEMO_IDENTITY_TTL_SECONDS = 300;
/** How many demo customers the page's account list offers. */
export const DEMO_CUSTOMERS_SHOWN = 6;

const tokenRequestSchema = z.object({ identityToken: z.string().max(4096).optional().nullable(), locale: z.string().max(32).optional() }).passthrough();

export interface WebChatRoutesDeps {
  config: WebchatConfig & Pick<BaseConfig, 'DEFAULT_LOCALE'>;
  i18n: I18n;
  tokens: TokenService;
  service: DirectLineService;
  allowedOrigins: string[] | '*';
  /** The demo page signs in its demo customers (no SHOP_IDENTITY_SECRET configured). */
  demoSignIn: boolean;
  db: Db;
  logger: Logger;
  /** The services' clock and RETURN_WINDOW_DAYS: the demo page says which account has a delivery still returnable. */
  clock: () => Date;
  returnWindowDays: number;
}

/** Microsoft Web Chat's bundle, the embed script, the browser's token endpoint, the demo shop page and its demo sign-in. */
export function registerWebChatRoutes(server: Server, deps: WebChatRoutesDeps): void {
  const { config, i18n, tokens, service, allowedOrigins, demoSignIn, logger: log } = deps;

  const bundle = loadWebChatBundle();
  const webchatPath = `/webchat/vendor/webchat-${bundle.version}.${bundle.asset.hash}.js`;
  const widgetStrings = Object.fromEntries(
    SUPPORTED_LOCALES.map((l) => [
      l,
      Object.fromEntries(['launcher', 'title', 'subtitle', 'close', 'connecting', 'connectFailed', 'retry'].map((k) => [k, i18n.t(l, `webchat.widget.${k}`)])),
    ]),
  );
  const embedConfig = { strings: widgetStrings, locales: SUPPORTED_LOCALES, defaultLocale: config.DEFAULT_LOCALE, webchatPath };
  const embedSource = fs
    .readFileSync(path.join(PUBLIC_DIR, 'embed.js'), 'utf8')
    .replace('/*__KEFU_CONFIG__*/ null', JSON.stringify(embedConfig).replace(/</g, '\\u003c'));
  const embed = new StaticAsset(Buffer.from(embedSource), 'application/javascript; charset=utf-8');
  const page = new ShopPage(i18n);

  const serveBundle = (cache: string) => async (req: Request, res: Response) => {
    applyCors(req, res, '*');
    await bundle.asset.serve(req, res, cache);
  };
  server.get(webchatPath, serveBundle('public, max-age=31536000, immutable'));
  server.get('/webchat/vendor/webchat.js', serveBundle('public, max-age=300'));
  server.get('/webchat/embed.js', async (req: Request, res: Response) => {
    applyCors(req, res, '*');
    // Short cache: a shop pastes this URL once, and it must pick up a new Web Chat version.
    await embed.serve(req, res, 'public, max-age=300');
  });

  /** A route the shop's page calls from the browser: CORS and its preflight, any failure in Direct Line's format. */
  const browserRoute = (path: string, handler: (req: Request) => Promise<unknown>) => {
    server.opts(path, async (req: Request, res: Response) => {
      applyCors(req, res, allowedOrigins);
      res.status(204);
      res.end();
    });
    server.post(path, async (req: Request, res: Response) => {
      applyCors(req, res, allowedOrigins);
      try {
        const body = await handler(req);
        res.status(200);
        res.json(body);
      } catch (err) {
        sendError(res, err, { logger: log, format: 'directline' });
      }
    });
  };

  // The token endpoint the embed script calls (no site secret in a browser): a new conversation, signed
  // in when the shop's identity token verifies.
  browserRoute('/webchat/api/token', async (req) => {
    const parsed = tokenRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new DirectLineError(400, 'BadArgument', 'Send {"identityToken"?: string, "locale"?: string}.');
    return service.generate({ identity: identityFrom({ tokens, logger: log }, parsed.data.identityToken), locale: parsed.data.locale });
  });

  // The customer signs out (the shop's page calls it, with the conversation's token): the conversation
  // stays open, and the bot treats them as a guest until a fresh identity signs them in again.
  browserRoute('/webchat/api/signout', (req) => service.signOut(claimsFor(tokens, req)));

  if (config.WEBCHAT_DEMO_PAGE) {
    server.get('/', async (req: Request, res: Response) => {
      const locale = pageLocale(req.query?.lang, req.headers['accept-language'], config.DEFAULT_LOCALE);
      const now = deps.clock().getTime();
      const customers = demoSignIn ? await demoCustomerHighlights(deps.db, DEMO_CUSTOMERS_SHOWN) : [];
      const html = page.render(
        locale,
        customers.map((c) => ({ ...c, returnable: c.lastDeliveredAt !== null && now - c.lastDeliveredAt.getTime() < deps.returnWindowDays * 86_400_000 })),
        demoSignIn,
      );
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Language': locale, 'Content-Security-Policy': htmlPageCsp(html) });
      res.end(html);
    });
  }

  // Demo only: plays "the shop's server", signing an identity for the demo customer chosen on the page
  // (kept in a cookie, as a shop's session would be). Off once SHOP_IDENTITY_SECRET is set.
  if (demoSignIn) {
    server.post('/webchat/demo/identity', async (req: Request, res: Response) => {
      const cookie = DEMO_COOKIE_PATTERN.exec(req.headers.cookie ?? '')?.[1];
      const externalId = cookie ? safeDecode(cookie) : '';
      const customer = externalId.startsWith(DEMO_CUSTOMER_PREFIX)
        ? await deps.db.customer.findUnique({ where: { externalId }, select: { externalId: true } })
        : null;
      if (!customer?.externalId) {
        res.status(204);
        res.end();
        return;
      }
      res.header('Cache-Control', 'no-store');
      res.status(200);
      res.json({ token: tokens.signIdentity(customer.externalId, DEMO_IDENTITY_TTL_SECONDS) });
    });
  }

  void bundle.asset.sizes().then((s) => log.info(s, 'web chat bundle ready (raw, brotli, gzip bytes)'));
}

/** decodeURIComponent, or '' for a malformed escape (a cookie is the client's to garble: not a 500). */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
}
