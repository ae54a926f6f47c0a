import type { Request } from 'restify';
import type { Locale } from '../../config/locales';
import { ConfigError } from '../../config/schema';
import { staffLocale } from '../../staff';
import type { Feature, Kernel } from '../feature';
import { registerShopApi } from './api';
import type { ShopConfig } from './config';
import { demoShopTransport } from './demoShop';
import { ShopIngest, type OrderHooks } from './ingest';
import { recordCancelAnswer, ShopNotifier } from './notices';
import { httpTransport, ShopOutbox, type WebhookTransport } from './outbound';
import { registerStaffWebhooks } from './staffWebhooks';
import { StuckWebhooks } from './stuckWebhooks';
import { WebhooksPage } from './webhooksPage';

export { ShopIngest, type IngestOutcome, type OrderHooks } from './ingest';
export { shopEventSchema, type ShopEvent } from './schemas';
export { sign, signedHeaders, verify } from './signature';
export { COUPON_REQUESTED, SHOP_WEBHOOK_DEAD, type CouponRequested, type ShopWebhook, type ShopWebhookDead } from './outbound';

export interface ShopFeature extends Feature {
  /** Applies the shop's events (the HTTP API, the import, the demo shop all go through it). */
  ingest: ShopIngest;
  /** The webhooks to the shop (its subscription to order changes and tickets). */
  outbox: ShopOutbox;
  /** The webhooks that did not get through, for staff (GET /staff/api/shop/webhooks, the page /staff/webhooks). */
  stuck: StuckWebhooks;
}

/**
 * The shop's systems: its customers' and orders' events flow in (POST /api/shop/events); the
 * customer's cancellations, address changes, returns and repairs flow out as signed webhooks
 * (SHOP_WEBHOOK_URL, or the in-process demo shop); the shop's answer to a cancellation is told to
 * the customer in chat. `hooks` lets other features act on the shop's order events (points). Staff
 * see the webhooks that are stuck and send them again (/staff/webhooks); a webhook given up is
 * recorded as SHOP_WEBHOOK_DEAD (the agent console alerts the supervisors).
 */
export function shopFeature(
  k: Pick<Kernel, 'store' | 'logger' | 'clock' | 'events' | 'messenger' | 'i18n' | 'staff' | 'broadcast' | 'defaultLocale' | 'timeZone'> & {
    config: ShopConfig & { EVENTS_MAX_ATTEMPTS: number };
    hooks?: OrderHooks;
  },
): ShopFeature {
  const logger = k.logger.child({ component: 'shop' });
  const ingest = new ShopIngest(
    k.store,
    { ...k.hooks, cancelAnswered: (tx, order, outcome, now) => recordCancelAnswer(k.events, tx, order, outcome, now) },
    k.clock,
    (err) => logger.warn({ err }, 'a batch of shop events failed as a whole: its events are applied one at a time'),
  );
  const { SHOP_WEBHOOK_URL: url, SHOP_WEBHOOK_SECRET: secret } = k.config;
  let transport: WebhookTransport;
  if (url && secret) transport = httpTransport(url, secret, k.config.SHOP_WEBHOOK_TIMEOUT_MS, k.clock);
  else if (url) throw new ConfigError(['SHOP_WEBHOOK_SECRET: must be set when SHOP_WEBHOOK_URL is (webhooks to the shop are signed)']);
  else transport = demoShopTransport(() => ingest, k.clock, logger);
  const maxAttempts = k.config.EVENTS_MAX_ATTEMPTS;
  const outbox = new ShopOutbox(k.store.db, transport, logger, { events: k.events, maxAttempts, clock: k.clock });
  k.events.subscribe(outbox.subscription);
  k.events.subscribe(new ShopNotifier(k.messenger, k.i18n, logger).subscription);
  const stuck = new StuckWebhooks({ db: k.store.db, outbox, broadcast: k.broadcast, clock: k.clock });
  const localeOf = (req: Request): Locale => staffLocale((req.query as Record<string, unknown> | undefined)?.lang, req.headers['accept-language'], k.defaultLocale);
  return {
    name: 'shop',
    ingest,
    outbox,
    stuck,
    banner: () => [{ kind: 'link', link: 'webhooks', path: '/staff/webhooks' }],
    http(server) {
      const page = new WebhooksPage({ webhooks: stuck, guard: k.staff.guard, i18n: k.i18n, logger, timeZone: k.timeZone, maxAttempts, localeOf });
      registerStaffWebhooks(server, { staff: k.staff, webhooks: stuck, page });
      registerShopApi(server, {
        db: k.store.db,
        ingest,
        secret,
        toleranceSeconds: k.config.SHOP_SIGNATURE_TOLERANCE_SECONDS,
        clock: k.clock,
        logger,
      });
    },
  };
}
