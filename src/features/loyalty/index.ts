import { ConfigError } from '../../config/schema';
import type { Feature, Kernel } from '../feature';
import type { LoyaltyConfig } from './config';
import { LoyaltyDialogIds } from './ids';
import { LoyaltyDialog } from './loyaltyDialog';
import { LoyaltyPolicy } from './loyaltyPolicy';

export { LoyaltyPolicy } from './loyaltyPolicy';

/** Points and membership tiers: the balance, the tier and what the next tier needs. */
export function loyaltyFeature(k: Pick<Kernel, 'dialogBase' | 'customers'> & { config: LoyaltyConfig }): Feature {
  const { LOYALTY_GOLD_POINTS: gold, LOYALTY_DIAMOND_POINTS: diamond } = k.config;
  if (diamond <= gold) throw new ConfigError([`LOYALTY_DIAMOND_POINTS: must be above LOYALTY_GOLD_POINTS (${gold})`]);
  return {
    name: 'loyalty',
    dialogs: [new LoyaltyDialog(k.dialogBase, k.customers, new LoyaltyPolicy({ gold, diamond }))],
    routes: [{ intent: 'points_membership', dialogId: LoyaltyDialogIds.loyalty, menuLabelKey: 'loyalty.menu', menuOrder: 72 }],
  };
}
