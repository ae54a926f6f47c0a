import type { Feature, Kernel } from '../feature';
import { registerShopApi } from './api';
import type { ShopConfig } from './config';
import { ShopIngest, type OrderHooks } from './ingest';

export { ShopIngest, type IngestOutcome, type OrderHooks } from './ingest';
export { shopEventSchema, type ShopEvent } from './schemas';
export { sign, signedHeaders } from './signature';

export interface ShopFeature extends Feature {
  /** Applies the shop's events (the HTTP API, the import, the demo shop all go through it). */
  ingest: ShopIngest;
}

/** The shop's systems: its customers' and orders' events flow in (POST /api/shop/events). */
export function shopFeature(k: Pick<Kernel, 'store' | 'logger' | 'clock'> & { config: ShopConfig; hooks?: OrderHooks }): ShopFeature {
  const ingest = new ShopIngest(k.store.db, k.hooks, k.clock);
  const logger = k.logger.child({ component: 'shop' });
  return {
    name: 'shop',
    ingest,
    http(server) {
      registerShopApi(server, {
        db: k.store.db,
        ingest,
        secret: k.config.SHOP_WEBHOOK_SECRET,
        toleranceSeconds: k.config.SHOP_SIGNATURE_TOLERANCE_SECONDS,
        clock: k.clock,
        logger,
      });
    },
  };
}
