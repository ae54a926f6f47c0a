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
}
