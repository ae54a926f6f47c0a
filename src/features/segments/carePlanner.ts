import type { QuietHours } from '../surveys';
import type { Db, Provider } from '../../store/db';
import type { CareKind } from './careTexts';
import type { SegmentsConfig } from './config';
import { bound } from './facts';
import { shopDate } from '../../calendar/shopDate';
import type { Holiday } from './holidays';

const DAY = 86_400_000;
/** A customer turned dormant this recently still gets the win-back message (the job may have missed a night). */
const WINBACK_WINDOW_DAYS = 7;
/** Deliveries older than the follow-up day by more than this are not visited any more. */
const FOLLOWUP_WINDOW_DAYS = 2;

/** Positional parameters for a statement written once for both stores ($1, $2 ... in order of use). */
class Params {
  readonly values: unknown[] = [];
  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Plans care messages: one row per cause (CareMessage.causeKey), inserted set-wise in the store
 * (INSERT ... SELECT ... ON CONFLICT DO NOTHING), so planning again finds nothing new: the birthday
 * of the year, the holiday of the day, the dormant move of a valuable customer, the delivery to visit.
 * Marketing kinds are planned only for customers who consented; the send rules check again.
 */
export class CarePlanner {
  constructor(
    private readonly deps: { db: Db; provider: Provider; config: SegmentsConfig; holidays: Holiday[]; quiet: QuietHours; timeZone: string },
  ) {}

  async plan(now: Date): Promise<Record<CareKind, number>> {
    const { config } = this.deps;
    const planned: Record<CareKind, number> = { birthday: 0, holiday: 0, winback: 0, followup: 0 };
    if (!config.CARE_ENABLED) return planned;
    const today = shopDate(now, this.deps.timeZone);
    if (config.CARE_BIRTHDAY) planned.birthday = await this.birthdays(today, now);
    const holiday = this.deps.holidays.find((h) => h.date === today);
    if (config.CARE_HOLIDAY && holiday) planned.holiday = await this.holiday(holiday, now);
    if (config.CARE_WINBACK) planned.winback = await this.winback(now);
    if (config.CARE_FOLLOWUP) planned.followup = await this.followups(now);
    return planned;
  }

  private async insert(kind: CareKind, q: Params, select: { cause: string; customer: string; order?: string; from: string }, now: Date): Promise<number> {
    const sendAfter = q.p(this.deps.quiet.deferred(now));
    const createdAt = q.p(now);
    const sql = `INSERT INTO "CareMessage" ("id", "customerId", "kind", "causeKey", "status", "orderId", "sendAfter", "createdAt")
      SELECT ${select.cause}, ${select.customer}, '${kind}', ${select.cause}, 'SCHEDULED', ${select.order ?? 'NULL'}, ${sendAfter}, ${createdAt}
      FROM ${select.from}
      ON CONFLICT ("causeKey") DO NOTHING`;
    return this.deps.db.$executeRawUnsafe(...bound(this.deps.provider, sql, q.values));
  }

  /** Customers whose birthday ("MM-DD" or "YYYY-MM-DD") is today, once a year. */
  private birthdays(today: string, now: Date): Promise<number> {
    const q = new Params();
    const year = today.slice(0, 4);
    const monthDay = today.slice(5);
    const cause = `'birthday:' || c."id" || ':' || '${year}'`;
    const from = `"Customer" c WHERE (c."birthday" = ${q.p(monthDay)} OR c."birthday" LIKE ${q.p(`____-${monthDay}`)}) AND c."marketingConsent" = true`;
    return this.insert('birthday', q, { cause, customer: 'c."id"', from }, now);
  }

  /** Every consenting customer who has a conversation to be greeted in, once per holiday. */
  private holiday(holiday: Holiday, now: Date): Promise<number> {
    const q = new Params();
    const cause = `'holiday:${holiday.date}:${holiday.key}:' || c."id"`;
    const from = `"Customer" c WHERE c."marketingConsent" = true AND EXISTS (SELECT 1 FROM "Conversation" v WHERE v."customerId" = c."id")`;
    return this.insert('holiday', q, { cause, customer: 'c."id"', from }, now);
  }

  /** A move to dormant of a customer who is (or was, before the same run) of high or medium value. */
  private winback(now: Date): Promise<number> {
    const q = new Params();
    const since = q.p(new Date(now.getTime() - WINBACK_WINDOW_DAYS * DAY));
    const from = `"SegmentChange" sc
      JOIN "CustomerSegment" s ON s."customerId" = sc."customerId"
      JOIN "Customer" c ON c."id" = sc."customerId"
      WHERE sc."kind" = 'stage' AND sc."toValue" = 'dormant' AND sc."createdAt" > ${since} AND s."stage" = 'dormant' AND c."marketingConsent" = true
        AND (s."valueClass" IN ('high', 'medium') OR EXISTS (SELECT 1 FROM "SegmentChange" k WHERE k."customerId" = sc."customerId" AND k."runId" = sc."runId" AND k."kind" = 'class' AND k."fromValue" IN ('high', 'medium')))`;
    return this.insert('winback', q, { cause: `'winback:' || sc."id"`, customer: 'sc."customerId"', from }, now);
  }

  /** Orders delivered CARE_FOLLOWUP_DAYS ago (up to two days more, for a missed run). */
  private followups(now: Date): Promise<number> {
    const q = new Params();
    const due = new Date(now.getTime() - this.deps.config.CARE_FOLLOWUP_DAYS * DAY);
    const from = `"Order" o WHERE o."status" = 'DELIVERED' AND o."deliveredAt" <= ${q.p(due)} AND o."deliveredAt" > ${q.p(new Date(due.getTime() - FOLLOWUP_WINDOW_DAYS * DAY))}`;
    return this.insert('followup', q, { cause: `'followup:' || o."id"`, customer: 'o."customerId"', order: 'o."id"', from }, now);
  }
}
