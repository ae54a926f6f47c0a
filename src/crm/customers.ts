import type { Locale } from '../config/locales';
import type { EventLog } from '../events/eventLog';
import type { Prisma } from '../store/records';
import type { Db } from '../store/db';
import { writeAudit, type Actor } from './audit';
import { normalizeAddress, normalizeEmail, normalizePhone } from './contact';

/** Contact details a customer may correct themselves. */
export const CONTACT_FIELDS = ['phone', 'email', 'address'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const NORMALIZE: Record<ContactField, (input: string) => string | undefined> = {
  phone: normalizePhone,
  email: normalizeEmail,
  address: normalizeAddress,
};

/** What the shop stores about a customer, as shown to them ("my data"). */
export interface CustomerProfile {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  locale: string | null;
  tier: string;
  points: number;
  orders: number;
  conversations: number;
  tickets: number;
  createdAt: Date;
}

export type ContactUpdate = { ok: true; changed: boolean; value: string } | { ok: false; reason: 'invalid' | 'not_found' };

/** The event a change of a customer's data is recorded as (names of the fields changed, never their values). */
export const CUSTOMER_UPDATED = 'customer.updated';

/** Customer records: reads, and changes recorded with an audit row and a customer.updated event. */
export class CustomerService {
  constructor(
    private readonly db: Db,
    private readonly events: EventLog,
  ) {}

  get(customerId: string) {
    return this.db.customer.findUnique({ where: { id: customerId } });
  }

  /**
   * The customer with this phone (any written form of it), found by its blind index (the phone itself
   * is sealed at rest: src/store/sealedFields.ts); the most recently created one if several share it.
   */
  findByPhone(phone: string) {
    return this.db.customer.findFirst({ where: { phone }, orderBy: { createdAt: 'desc' } });
  }

  /** The customer with this e-mail (case does not matter), by its blind index. */
  findByEmail(email: string) {
    return this.db.customer.findFirst({ where: { email }, orderBy: { createdAt: 'desc' } });
  }

  /** Everything the shop stores about the customer, with counts of their orders, conversations and tickets. */
  async profile(customerId: string): Promise<CustomerProfile | undefined> {
    const c = await this.db.customer.findUnique({
      where: { id: customerId },
      include: { _count: { select: { orders: true, conversations: true, tickets: true } } },
    });
    if (!c) return undefined;
    return {
      id: c.id,
      name: c.name,
      phone: c.phone,
      email: c.email,
      address: c.address,
      locale: c.locale,
      tier: c.tier,
      // The points ledger's sum (src/features/loyalty/ledger.ts), the same figure the loyalty answer shows.
      points: (await this.db.pointsEntry.aggregate({ where: { customerId }, _sum: { delta: true } }))._sum.delta ?? 0,
      orders: c._count.orders,
      conversations: c._count.conversations,
      tickets: c._count.tickets,
      createdAt: c.createdAt,
    };
  }

  /** Corrects a contact detail (validated, normalized), audit-logged with before, after and why. */
  async updateContact(customerId: string, field: ContactField, input: string, actor: Actor, reason: string): Promise<ContactUpdate> {
    return this.db.$transaction((tx) => this.updateContactIn(tx, customerId, field, input, actor, reason));
  }

  /** updateContact() inside the caller's transaction (an approved change request carries it out with its own record). */
  async updateContactIn(tx: Prisma.TransactionClient, customerId: string, field: ContactField, input: string, actor: Actor, reason: string): Promise<ContactUpdate> {
    const value = NORMALIZE[field](input);
    if (!value) return { ok: false, reason: 'invalid' };
    const before = await tx.customer.findUnique({ where: { id: customerId }, select: { phone: true, email: true, address: true } });
    if (!before) return { ok: false, reason: 'not_found' };
    if (before[field] === value) return { ok: true, changed: false, value };
    await tx.customer.update({ where: { id: customerId }, data: { [field]: value } });
    await writeAudit(tx, {
      actor,
      action: 'customer.update',
      entity: 'Customer',
      entityId: customerId,
      before: { [field]: before[field] },
      after: { [field]: value },
      reason,
    });
    await this.events.record(tx, [{ type: CUSTOMER_UPDATED, subject: `Customer:${customerId}`, payload: { customerId, fields: [field], by: actor } }]);
    return { ok: true, changed: true, value };
  }

  /** Saves the customer's language preference (audit-logged, with the customer's stated reason). Returns false if nothing changed. */
  async setLocale(customerId: string, locale: Locale, actor: Actor, reason = 'the customer chose their language in chat'): Promise<boolean> {
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
        reason,
      });
      await this.events.record(tx, [{ type: CUSTOMER_UPDATED, subject: `Customer:${customerId}`, payload: { customerId, fields: ['locale'], by: actor } }]);
      return true;
    });
  }
}
