import type { Activity, ConversationReference } from 'botbuilder';
import { TurnContext } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import type { ConversationOwner } from './lifecycle';
import { writeAudit, type Actor } from './audit';
import type { Db } from '../store/db';
import { isUniqueViolation } from '../store/errors';
import { toJson } from '../store/json';
import type { ConversationNow } from '../store/turnStore';
import type { Prisma } from '../store/records';

/** What a turn needs to know about who is talking, resolved once per conversation and cached. */
export interface ConversationRecord {
  conversationId: string;
  customerId: string;
  /** The customer's saved language preference, if any. */
  customerLocale: string | null;
  /**
   * True when the customer is known to the shop (linked to a shop account, Customer.externalId, by a
   * signed identity). Orders, tickets and personal data are only shown to verified customers.
   */
  verified: boolean;
  /** Until when `verified` counts (a web chat sign-in's lifetime; null: no limit): see isVerifiedAt(). */
  verifiedUntil: Date | null;
  serviceUrl: string;
  /** Who owns the conversation (as last read: a customer's turn reads it fresh). */
  owner: ConversationOwner;
}

/**
 * Finds or creates the Customer (by channel account), and the Conversation with its stored
 * ConversationReference, on first contact. Results are cached (least recently used dropped first),
 * so an ongoing conversation costs no lookup per turn. What may change under the cache (the
 * customer a conversation belongs to, their language, who owns the conversation: another instance
 * may change them) is read fresh at the start of every customer turn (TurnStore.beginTurn) and
 * put back here with refresh().
 */
export class ConversationDirectory {
  private readonly cache: LRUCache<string, ConversationRecord>;

  constructor(
    private readonly db: Db,
    maxCached = 10_000,
  ) {
    this.cache = new LRUCache({ max: maxCached });
  }

  private static cacheKey(channelId: string, conversationId: string): string {
    return `${channelId}\u0000${conversationId}`;
  }

  async resolve(activity: Partial<Activity>): Promise<ConversationRecord> {
    const channelId = activity.channelId ?? 'unknown';
    const channelConversationId = activity.conversation?.id ?? '';
    const key = ConversationDirectory.cacheKey(channelId, channelConversationId);
    const cached = this.cache.get(key);
    if (cached && (!activity.serviceUrl || cached.serviceUrl === activity.serviceUrl)) return cached;
    const record = await this.load(activity, channelId, channelConversationId);
    this.cache.set(key, record);
    return record;
  }

  /** The record with what the turn's start read of the conversation now; cached for the next turns. */
  refresh(activity: Partial<Activity>, record: ConversationRecord, now: ConversationNow): ConversationRecord {
    const fresh: ConversationRecord = {
      ...record,
      customerId: now.customerId ?? record.customerId,
      customerLocale: now.customerLocale,
      verified: now.verified,
      verifiedUntil: now.verifiedUntil,
      owner: { status: now.status, agentId: now.agentId, queue: now.queue },
    };
    this.cache.set(ConversationDirectory.cacheKey(activity.channelId ?? 'unknown', activity.conversation?.id ?? ''), fresh);
    return fresh;
  }

  /** Forgets a cached conversation (after its customer changed, e.g. a language preference). */
  invalidate(channelId: string, channelConversationId: string): void {
    this.cache.delete(ConversationDirectory.cacheKey(channelId, channelConversationId));
  }

  /** The customer signs out of a conversation: see endSignIn(). */
  async signOut(channelId: string, channelConversationId: string, now: Date): Promise<boolean> {
    const ended = await endSignIn(this.db, { channelId_channelConversationId: { channelId, channelConversationId } }, now);
    this.invalidate(channelId, channelConversationId);
    return ended;
  }

  /** The customer signs out in the chat (the conversation by its own id): see endSignIn(). The next turn reads it fresh. */
  signOutById(conversationId: string, now: Date): Promise<boolean> {
    return endSignIn(this.db, { id: conversationId }, now);
  }

  /** Updates the cached copies after a customer's saved locale changed. */
  setCustomerLocaleForCustomer(customerId: string, locale: string): void {
    for (const record of this.cache.values()) if (record.customerId === customerId) record.customerLocale = locale;
  }

  private async load(activity: Partial<Activity>, channelId: string, channelConversationId: string, attempt = 0): Promise<ConversationRecord> {
    const reference = TurnContext.getConversationReference(activity) as ConversationReference;
    const serviceUrl = activity.serviceUrl ?? '';
    try {
      return await this.db.$transaction(async (tx) => {
        const existing = await tx.conversation.findUnique({
          where: { channelId_channelConversationId: { channelId, channelConversationId } },
          select: { id: true, customerId: true, reference: true, status: true, agentId: true, queue: true, verifiedUntil: true, customer: { select: { id: true, locale: true, externalId: true } } },
        });
        if (existing?.customer) {
          const stored = existing.reference as Partial<ConversationReference> | null;
          if (serviceUrl && stored?.serviceUrl !== serviceUrl) {
            await tx.conversation.update({ where: { id: existing.id }, data: { reference: toJson(reference) } });
          }
          return {
            conversationId: existing.id,
            customerId: existing.customer.id,
            customerLocale: existing.customer.locale,
            verified: existing.customer.externalId !== null,
            verifiedUntil: existing.verifiedUntil,
            serviceUrl,
            owner: { status: existing.status, agentId: existing.agentId, queue: existing.queue },
          };
        }
        const customer = await this.findOrCreateCustomer(tx, channelId, activity);
        const conversation = existing
          ? await tx.conversation.update({ where: { id: existing.id }, data: { customerId: customer.id, reference: toJson(reference) } })
          : await tx.conversation.create({
              data: { channelId, channelConversationId, customerId: customer.id, reference: toJson(reference), locale: activity.locale ?? null },
            });
        return {
          conversationId: conversation.id,
          customerId: customer.id,
          customerLocale: customer.locale,
          verified: customer.externalId !== null,
          verifiedUntil: conversation.verifiedUntil,
          serviceUrl,
          owner: { status: conversation.status, agentId: conversation.agentId, queue: conversation.queue },
        };
      });
    } catch (err) {
      // Two first messages raced to create the same rows: the other one won, read what it wrote.
      if (isUniqueViolation(err) && attempt < 2) return this.load(activity, channelId, channelConversationId, attempt + 1);
      throw err;
    }
  }

  private async findOrCreateCustomer(tx: TxClient, channelId: string, activity: Partial<Activity>) {
    const channelUserId = activity.from?.id ?? `anonymous:${activity.conversation?.id ?? ''}`;
    const account = await tx.channelAccount.findUnique({
      where: { channelId_channelUserId: { channelId, channelUserId } },
      select: { customer: { select: { id: true, locale: true, externalId: true } } },
    });
    if (account) return account.customer;
    return tx.customer.create({
      data: {
        name: activity.from?.name || null,
        accounts: { create: { channelId, channelUserId } },
      },
      select: { id: true, locale: true, externalId: true },
    });
  }

  /**
   * Links a channel conversation to the shop customer with this externalId (the shop's own customer id,
   * from a signed identity the channel verified), creating the customer when the id is new, and the
   * Conversation row when the conversation has not started yet. A conversation already linked to a
   * different shop customer is not moved ('conflict'). Later turns resolve to that customer, verified
   * until `verifiedUntil` (the identity's lifetime); linking again with a fresh identity extends it.
   */
  async linkShopCustomer(input: {
    channelId: string;
    channelConversationId: string;
    externalId: string;
    name?: string | null;
    locale?: string | null;
    reference: Partial<ConversationReference>;
    verifiedUntil: Date;
  }, attempt = 0): Promise<{ customerId: string } | { conflict: true }> {
    const { channelId, channelConversationId, externalId } = input;
    try {
      const result = await this.db.$transaction(async (tx) => {
        const customer = await tx.customer.upsert({
          where: { externalId },
          create: { externalId, name: input.name || null },
          update: {},
          select: { id: true },
        });
        const existing = await tx.conversation.findUnique({
          where: { channelId_channelConversationId: { channelId, channelConversationId } },
          select: { id: true, customerId: true, customer: { select: { externalId: true } } },
        });
        if (existing?.customer?.externalId && existing.customer.externalId !== externalId) return { conflict: true as const };
        if (existing) {
          await tx.conversation.update({ where: { id: existing.id }, data: { customerId: customer.id, verifiedUntil: input.verifiedUntil } });
        } else {
          await tx.conversation.create({
            data: { channelId, channelConversationId, customerId: customer.id, reference: toJson(input.reference), locale: input.locale ?? null, verifiedUntil: input.verifiedUntil },
          });
        }
        return { customerId: customer.id };
      });
      this.invalidate(channelId, channelConversationId);
      return result;
    } catch (err) {
      if (isUniqueViolation(err) && attempt < 2) return this.linkShopCustomer(input, attempt + 1);
      throw err;
    }
  }
}

type TxClient = Prisma.TransactionClient;

/**
 * Ends a conversation's shop sign-in now (the customer signed out): its verifiedUntil becomes `now`, so
 * the next turn treats the customer as a guest until a fresh identity signs them in again. Audit-logged;
 * false when it was not signed in (or already ended).
 */
export async function endSignIn(db: Db, where: Prisma.ConversationWhereUniqueInput, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const conversation = await tx.conversation.findUnique({ where, select: { id: true, customerId: true, verifiedUntil: true } });
    if (!conversation?.verifiedUntil || conversation.verifiedUntil <= now) return false;
    await tx.conversation.update({ where: { id: conversation.id }, data: { verifiedUntil: now } });
    await writeAudit(tx, {
      actor: { type: 'customer', id: conversation.customerId },
      action: 'conversation.signed_out',
      entity: 'Conversation',
      entityId: conversation.id,
      before: { verifiedUntil: conversation.verifiedUntil.toISOString() },
      after: { verifiedUntil: now.toISOString() },
      at: now,
    });
    return true;
  });
}

/**
 * Ends every sign-in of a customer that is still running (the shop revoked their sessions: a password
 * change, "sign out everywhere"), in the caller's transaction, with one audit row. Returns how many ended.
 */
export async function revokeSignIns(tx: TxClient, customerId: string, now: Date, actor: Actor, reason?: string): Promise<number> {
  const { count } = await tx.conversation.updateMany({ where: { customerId, verifiedUntil: { gt: now } }, data: { verifiedUntil: now } });
  await writeAudit(tx, { actor, action: 'customer.sessions_revoked', entity: 'Customer', entityId: customerId, after: { conversations: count }, reason, at: now });
  return count;
}
