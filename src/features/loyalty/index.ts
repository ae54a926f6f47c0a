import { ConfigError } from '../../config/schema';
import type { Feature, Kernel } from '../feature';
import { registerLoyaltyApi, type AgentAuth } from './api';
import type { LoyaltyConfig } from './config';
import { LoyaltyDialogIds } from './ids';
import { PointsLedger } from './ledger';
import { LoyaltyDialog } from './loyaltyDialog';
import { LoyaltyPolicy } from './loyaltyPolicy';
import { TierNotifier } from './tierNotices';

export { LoyaltyPolicy } from './loyaltyPolicy';
export { PointsLedger, TIER_UP } from './ledger';

export interface LoyaltyFeature extends Feature {
  /** The points ledger: the balance, earning and reversal on the shop's order events, agents' adjustments. */
  ledger: PointsLedger;
}

/** Points and membership tiers: the balance from the ledger, the tier and what the next tier needs. */
export function loyaltyFeature(k: Pick<Kernel, 'dialogBase' | 'store' | 'events' | 'messenger' | 'i18n' | 'logger' | 'clock'> & { config: LoyaltyConfig; agents: AgentAuth }): LoyaltyFeature {
  const { LOYALTY_GOLD_POINTS: gold, LOYALTY_DIAMOND_POINTS: diamond } = k.config;
  if (diamond <= gold) throw new ConfigError([`LOYALTY_DIAMOND_POINTS: must be above LOYALTY_GOLD_POINTS (${gold})`]);
  const policy = new LoyaltyPolicy({ gold, diamond });
  const ledger = new PointsLedger(k.store.db, k.events, policy, k.clock);
  const logger = k.logger.child({ component: 'loyalty' });
  k.events.subscribe(new TierNotifier(k.messenger, k.i18n, logger).subscription);
  return {
    name: 'loyalty',
    ledger,
    dialogs: [new LoyaltyDialog(k.dialogBase, { get: async (customerId) => ({ points: await ledger.balance(customerId) }) }, policy)],
    routes: [{ intent: 'points_membership', dialogId: LoyaltyDialogIds.loyalty, menuLabelKey: 'loyalty.menu', menuOrder: 72 }],
    http(server) {
      registerLoyaltyApi(server, { db: k.store.db, ledger, agents: k.agents, logger });
    },
  };
}
