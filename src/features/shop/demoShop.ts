import type { ShopIngest } from './ingest';
import type { ShopWebhook, WebhookTransport } from './outbound';

/**
 * The shop `npm start` talks to when no SHOP_WEBHOOK_URL is set: it accepts every webhook and
 * confirms a paid order's cancellation at once, by sending its order.cancelled event through the
 * same path a real shop's events take (ShopIngest), so the demo shows the whole flow.
 */
export function demoShopTransport(ingest: () => ShopIngest, clock: () => Date): WebhookTransport {
  return async (webhook: ShopWebhook) => {
    if (webhook.type !== 'order.cancel_requested') return;
    await ingest().apply({
      id: `demo-shop:${webhook.id}`,
      type: 'order.cancelled',
      occurredAt: clock().toISOString(),
      data: { orderNumber: String(webhook.data.orderNumber), reason: 'confirmed by the demo shop' },
    });
  };
}
