import type { Customer, RowFits } from '../../store/records';

/** The membership tiers of the handbook, lowest first. */
export type Tier = 'SILVER' | 'GOLD' | 'DIAMOND';
/** The store's column is this type (a model change that breaks it fails the type check here). */
export type TierColumnFits = RowFits<Customer['tier'], Tier>;

export interface TierThresholds {
  /** Points from which a member is gold. */
  gold: number;
  /** Points from which a member is diamond. */
  diamond: number;
}

export interface LoyaltyStatus {
  points: number;
  tier: Tier;
  /** The next tier and the points still missing for it; undefined at the top tier. */
  next?: { tier: Tier; pointsNeeded: number };
}

/** 1 yuan spent = 1 point (amounts are in fen). */
export function pointsForSpend(fen: number): number {
  return Math.floor(fen / 100);
}

/** Membership tiers: silver below the gold threshold, gold, diamond from the diamond threshold. */
export class LoyaltyPolicy {
  constructor(readonly thresholds: TierThresholds) {
    if (!(thresholds.gold > 0 && thresholds.diamond > thresholds.gold)) {
      throw new Error(`Loyalty thresholds must be 0 < gold < diamond (got gold ${thresholds.gold}, diamond ${thresholds.diamond})`);
    }
  }

  tierFor(points: number): Tier {
    if (points >= this.thresholds.diamond) return 'DIAMOND';
    if (points >= this.thresholds.gold) return 'GOLD';
    return 'SILVER';
  }

  status(points: number): LoyaltyStatus {
    const tier = this.tierFor(points);
    if (tier === 'SILVER') return { points, tier, next: { tier: 'GOLD', pointsNeeded: this.thresholds.gold - points } };
    if (tier === 'GOLD') return { points, tier, next: { tier: 'DIAMOND', pointsNeeded: this.thresholds.diamond - points } };
    return { points, tier };
  }
}
