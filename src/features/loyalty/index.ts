import { ConfigError } from '../../config/schema';
import type { Feature, Kernel } from '../feature';
import { registerLoyaltyApi, type AgentAuth } from './api';
import type { LoyaltyConfig } from './config';
import { PointsExpiry } from './expiry';
import { LoyaltyDialogIds, type LoyaltyDialogOptions } from './ids';
import { PointsLedger } from './ledger';
import { LoyaltyDialog } from './loyaltyDialog';
import { LoyaltyPolicy } from './loyaltyPolicy';
import { RedeemDialog } from './redeemDialog';
import { PointsRedemption } from './redemption';
import { TierNotifier } from './tierNotices';

export { LoyaltyPolicy } from './loyaltyPolicy';
export { PointsLedger, TIER_UP } from './ledger';

export interface LoyaltyFeature extends Feature {
  /** The points ledger: the balance, earning and reversal on the shop's order events, agents' adjustments. */
  ledger: PointsLedger;
  /** The nightly expiry of unspent old points (LOYALTY_POINTS_EXPIRE_MONTHS), and what expires next. */
  expiry: PointsExpiry;
  /** Points for the shop's coupons (LOYALTY_COUPONS), through the outbox to the shop. */
  redemption: PointsRedemption;
}

/** Points and membership tiers: the balance from the ledger, the tier and what the next tier needs, expiry, coupons for points. */
export function loyaltyFeature(k: Pick<Kernel, 'dialogBase' | 'store' | 'events' | 'messenger' | 'i18n' | 'logger' | 'clock' | 'timeZone'> & { config: LoyaltyConfig; agents: AgentAuth }): LoyaltyFeature {
  const { LOYALTY_GOLD_POINTS: gold, LOYALTY_DIAMOND_POINTS: diamond } = k.config;
  if (diamond <= gold) throw new ConfigError([`LOYALTY_DIAMOND_POINTS: must be above LOYALTY_GOLD_POINTS (${gold})`]);
  const db = k.store.db;
  const policy = new LoyaltyPolicy({ gold, diamond });
  const ledger = new PointsLedger(db, k.events, policy, k.clock);
  const logger = k.logger.child({ component: 'loyalty' });
  const expiry = new PointsExpiry({ db, ledger, months: k.config.LOYALTY_POINTS_EXPIRE_MONTHS, timeZone: k.timeZone, logger });
  const redemption = new PointsRedemption({ db, ledger, events: k.events, coupons: k.config.LOYALTY_COUPONS, clock: k.clock });
  k.events.subscribe(new TierNotifier(k.messenger, k.i18n, logger).subscription);
  const balance = (customerId: string) => ledger.balance(customerId);
  const redeem = redemption.coupons.length > 0 ? new RedeemDialog(k.dialogBase, { balance, redemption }) : undefined;
  // The redemption's buttons, tapped (a late second tap on "confirm" included), start the dialog there.
  const redeemRoutes = redeem
    ? [
        { label: 'loyalty.redeem.button', options: { redeem: true } },
        { label: 'loyalty.redeem.yes', options: { lateConfirm: true } },
      ].map(({ label, options }) => ({ intent: 'points_membership', dialogId: LoyaltyDialogIds.loyalty, menuLabelKey: label, inMenu: false, options: options satisfies LoyaltyDialogOptions }))
    : [];
  return {
    name: 'loyalty',
    ledger,
    expiry,
    redemption,
    dialogs: [new LoyaltyDialog(k.dialogBase, { balance, upcoming: (customerId, now) => expiry.upcoming(customerId, now) }, policy, redeem)],
    routes: [{ intent: 'points_membership', dialogId: LoyaltyDialogIds.loyalty, menuLabelKey: 'loyalty.menu', menuOrder: 72 }, ...redeemRoutes],
    jobs: k.config.LOYALTY_POINTS_EXPIRE_MONTHS > 0 ? [{ name: 'loyalty.expiry', schedule: k.config.LOYALTY_EXPIRY_CRON, run: (now) => expiry.run(now) }] : [],
    http(server) {
      registerLoyaltyApi(server, { db, ledger, agents: k.agents, logger });
    },
  };
}
