import type { Logger } from '../../logger';
import type { ShopIngest } from './ingest';
import type { ShopWebhook, WebhookTransport } from './outbound';

/**
 * The shop `npm start` talks to when no SHOP_WEBHOOK_URL is set: it accepts every webhook, confirms
 * a paid order's cancellation at once, by sending its order.cancelled event through the same path a
 * real shop's events take (ShopIngest), and issues the coupons it is asked for (a win-back's, or
 * one bought with points), saying so in the log, so the demo shows the whole flow.
 */
export function demoShopTransport(ingest: () => ShopIngest, clock: () => Date, logger?: Pick<Logger, 'info'>): WebhookTransport {
  return async (webhook: ShopWebhook) => {
    if (webhook.type === 'coupon.requested') {
      const { customerId, code, amount, validDays, reason } = webhook.data;
      logger?.info({ customerId, code, amount, validDays, reason }, 'demo shop: coupon issued');
      return;
    }
    if (webhook.type !== 'order.cancel_requested') return;
    await ingest().apply({
      id: `demo-shop:${webhook.id}`,
      type: 'order.cancelled',
      occurredAt: clock().toISOString(),
      data: { orderNumber: String(webhook.data.orderNumber), reason: 'confirmed by the demo shop' },
    });
  };
}
