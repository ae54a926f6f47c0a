import type { Locale } from '../config/config';
import type { Db } from '../store/db';
import { writeAudit, type Actor } from './audit';

/** Customer records: reads and audited changes. */
export class CustomerService {
  constructor(private readonly db: Db) {}

  get(customerId: string) {
    return this.db.customer.findUnique({ where: { id: customerId } });
  }

  /** Saves the customer's language preference (audit-logged). Returns false if nothing changed. */
  async setLocale(customerId: string, locale: Locale, actor: Actor): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const before = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { locale: true } });
      if (before.locale === locale) return false;
      await tx.customer.update({ where: { id: customerId }, data: { locale } });
      await writeAudit(tx, {
        actor,
        action: 'customer.update',
        entity: 'Customer',
        entityId: customerId,
        before: { locale: before.locale },
        after: { locale },
      });
      return true;
    });
  }
}
