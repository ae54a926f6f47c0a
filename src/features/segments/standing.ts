import type { Db } from '../../store/db';
import type { Stage, ValueClass } from './rules';

export interface Standing {
  valueClass: ValueClass;
  stage: Stage;
}

/** A customer's value class and lifecycle stage as the last segment run left them (null: not computed yet). */
export class CustomerStandings {
  constructor(private readonly db: Db) {}

  async of(customerId: string | null | undefined): Promise<Standing | null> {
    if (!customerId) return null;
    const row = await this.db.customerSegment.findUnique({ where: { customerId }, select: { valueClass: true, stage: true } });
    return row ? { valueClass: row.valueClass as ValueClass, stage: row.stage as Stage } : null;
  }

  /** Tier, value class and stage side by side (a ticket's view); value and stage null until the segment job ran. */
  async card(customerId: string): Promise<{ tier: string; valueClass: ValueClass | null; stage: Stage | null } | null> {
    const [customer, standing] = await Promise.all([this.db.customer.findUnique({ where: { id: customerId }, select: { tier: true } }), this.of(customerId)]);
    return customer ? { tier: customer.tier, valueClass: standing?.valueClass ?? null, stage: standing?.stage ?? null } : null;
  }
}
