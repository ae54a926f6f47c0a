import type { Broadcast } from '../../../events/broadcast';
import type { Db, Provider } from '../../../store/db';
import type { FieldCipher } from '../../../store/fieldCrypto';
import type { ActivityFields, ActivitySet, DirectLineActivity } from './channel';

/** A Direct Line conversation as the channel keeps it (table DirectLineConversation). */
export interface ChannelConversation {
  id: string;
  userId: string;
  userName: string | null;
  /** The shop customer id a verified identity linked it to. */
  externalId: string | null;
  locale: string | null;
  started: boolean;
  lastSeq: number;
}

/** The broadcast topic of "a conversation has new activities" (the message: its id). */
export const ACTIVITY_TOPIC = 'directline.activity';

/** The broadcast topic of activities that are not kept (typing): `{ conversationId, activity }` as JSON. */
export const EPHEMERAL_TOPIC = 'directline.ephemeral';

/** The most activities one poll or one stream message carries. */
export const PAGE = 500;

interface Row {
  seq: number;
  activity: string;
  createdAt: Date;
}

/**
 * The web chat's conversations and what each client sees, in the CRM store: every instance reads
 * and appends to the same log, a restart loses nothing (a client reconnecting with its watermark
 * gets what it missed), and each append is announced on the broadcast so every instance's open
 * streams push it at once. The watermark is the activity's sequence number in its conversation.
 */
export class ChannelLog {
  constructor(
    private readonly db: Db,
    private readonly provider: Provider,
    private readonly broadcast: Broadcast,
    private readonly maxActivities: number,
    /** Seals the activities' JSON on PostgreSQL's raw append (Prisma's reads and SQLite's append seal and open by themselves). */
    private readonly cipher: FieldCipher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get(id: string): Promise<ChannelConversation | null> {
    return this.db.directLineConversation.findUnique({ where: { id }, select: SELECT });
  }

  /** The conversation, created (empty) when unknown: a valid token outlives anything else. */
  async getOrCreate(id: string, userId: string, fields: { userName?: string | null; locale?: string | null } = {}): Promise<ChannelConversation> {
    return this.db.directLineConversation.upsert({
      where: { id },
      create: { id, userId, userName: fields.userName ?? null, locale: fields.locale ?? null },
      update: {},
      select: SELECT,
    });
  }

  async update(id: string, fields: Partial<Pick<ChannelConversation, 'userName' | 'externalId' | 'locale'>>): Promise<void> {
    await this.db.directLineConversation.update({ where: { id }, data: fields });
  }

  /** Marks the conversation opened by its client; true only for the first call (on any instance). */
  async markStarted(id: string): Promise<boolean> {
    const { count } = await this.db.directLineConversation.updateMany({ where: { id, started: false }, data: { started: true } });
    return count === 1;
  }

  /**
   * Appends an activity: it gets the next sequence number and a timestamp later than the one before,
   * in one step (two instances appending at once get different numbers). A client's retry of a post
   * it already made (same clientActivityId) gets the stored one back instead.
   */
  async append(conversationId: string, fields: Omit<ActivityFields, 'timestamp'>, clientActivityId?: string): Promise<DirectLineActivity> {
    const json = JSON.stringify(fields);
    const now = this.clock();
    const row =
      this.provider === 'postgresql'
        ? await this.appendPg(conversationId, json, clientActivityId ?? null, now)
        : await this.appendSqlite(conversationId, json, clientActivityId ?? null, now);
    if (!row) {
      const earlier = clientActivityId ? await this.findByClientActivityId(conversationId, clientActivityId) : undefined;
      if (earlier) return earlier;
      throw new Error(`direct line: no conversation ${conversationId} to append to`);
    }
    await this.broadcast.publish(ACTIVITY_TOPIC, conversationId);
    return toActivity(conversationId, row);
  }

  /**
   * An activity that is not kept (a typing indicator): pushed at once to the conversation's open
   * streams on every instance, never written to the log (a client reconnecting does not get it again).
   */
  async announce(conversationId: string, fields: Omit<ActivityFields, 'timestamp'>): Promise<DirectLineActivity> {
    const activity = { ...fields, id: `${conversationId}|t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, timestamp: this.clock().toISOString() } as DirectLineActivity;
    await this.broadcast.publish(EPHEMERAL_TOPIC, JSON.stringify({ conversationId, activity }));
    return activity;
  }

  private async appendPg(conversationId: string, json: string, clientActivityId: string | null, now: Date): Promise<Row | undefined> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `WITH s AS (
         UPDATE "DirectLineConversation"
         SET "lastSeq" = "lastSeq" + 1,
             "lastAt" = GREATEST($4::timestamp(3), COALESCE("lastAt" + interval '1 millisecond', $4::timestamp(3))),
             "updatedAt" = $4::timestamp(3)
         WHERE "id" = $1 RETURNING "lastSeq", "lastAt")
       INSERT INTO "DirectLineActivity" ("conversationId", "seq", "clientActivityId", "activity", "createdAt")
       SELECT $1, s."lastSeq", $2, $3, s."lastAt" FROM s
       ON CONFLICT ("conversationId", "clientActivityId") DO NOTHING
       RETURNING "seq", "activity", "createdAt"`,
      conversationId,
      clientActivityId,
      this.cipher.seal(json),
      now,
    );
    // The row as inserted, with the JSON this call sealed (RETURNING gives the sealed text).
    return rows[0] && { ...rows[0], activity: json };
  }

  private async appendSqlite(conversationId: string, json: string, clientActivityId: string | null, now: Date): Promise<Row | undefined> {
    return this.db.$transaction(async (tx) => {
      if (clientActivityId) {
        const earlier = await tx.directLineActivity.findUnique({ where: { conversationId_clientActivityId: { conversationId, clientActivityId } } });
        if (earlier) return undefined;
      }
      const conversation = await tx.directLineConversation.findUnique({ where: { id: conversationId }, select: { lastSeq: true, lastAt: true } });
      if (!conversation) return undefined;
      const seq = conversation.lastSeq + 1;
      const at = new Date(Math.max(now.getTime(), (conversation.lastAt?.getTime() ?? 0) + 1));
      await tx.directLineConversation.update({ where: { id: conversationId }, data: { lastSeq: seq, lastAt: at } });
      return tx.directLineActivity.create({
        data: { conversationId, seq, clientActivityId, activity: json, createdAt: at },
        select: { seq: true, activity: true, createdAt: true },
      });
    });
  }

  /** Activities after a watermark (from the start when it is empty, unknown or ahead of the log), at most a page. */
  async after(conversationId: string, watermark: string | undefined, lastSeq?: number): Promise<ActivitySet> {
    let from = watermark && /^\d{1,10}$/.test(watermark) ? Number(watermark) : 0;
    const last = lastSeq ?? (await this.get(conversationId))?.lastSeq ?? 0;
    // A watermark beyond the log (it was pruned, or came from somewhere else): everything is new to the client.
    if (from > last) from = 0;
    // Only the last maxActivities are served to a client starting from scratch.
    if (from === 0) from = Math.max(0, last - this.maxActivities);
    const rows = await this.db.directLineActivity.findMany({
      where: { conversationId, seq: { gt: from } },
      orderBy: { seq: 'asc' },
      take: PAGE,
      select: { seq: true, activity: true, createdAt: true },
    });
    const activities = rows.map((r) => toActivity(conversationId, r));
    const top = rows.at(-1)?.seq ?? from;
    return { activities, watermark: top > 0 ? String(top) : last > 0 ? String(last) : undefined };
  }

  async findByClientActivityId(conversationId: string, clientActivityId: string): Promise<DirectLineActivity | undefined> {
    const row = await this.db.directLineActivity.findUnique({
      where: { conversationId_clientActivityId: { conversationId, clientActivityId } },
      select: { seq: true, activity: true, createdAt: true },
    });
    return row ? toActivity(conversationId, row) : undefined;
  }
}

const SELECT = { id: true, userId: true, userName: true, externalId: true, locale: true, started: true, lastSeq: true } as const;

/** An activity's id in the log: `<conversation>|<seq, 7 digits>`. */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/** The sequence number inside an id of this conversation's log, if it is one. */
export function seqOf(conversationId: string, id: string): number | undefined {
  const prefix = `${conversationId}|`;
  if (!id.startsWith(prefix)) return undefined;
  const rest = id.slice(prefix.length);
  return /^\d{1,10}$/.test(rest) ? Number(rest) : undefined;
}

function toActivity(conversationId: string, row: Row): DirectLineActivity {
  const fields = JSON.parse(row.activity) as Omit<ActivityFields, 'timestamp'>;
  return { ...fields, id: activityId(conversationId, row.seq), timestamp: new Date(row.createdAt).toISOString() } as DirectLineActivity;
}
