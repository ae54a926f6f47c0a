import { normalizeLocale, type I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import type { ProactiveMessenger } from '../../bot/proactive';
import type { Db } from '../../store/db';
import type { HandoffQueueService } from './queue';
import type { HandoffRow } from './types';

/** A waiting customer is told their new place at most this often. */
export const PLACE_NOTICE_EVERY_MS = 60_000;

/**
 * "You have moved up": a waiting customer is told their place again when it got better than the one
 * they were last told (Handoff.positionTold), at most once a minute (positionToldAt, on the app's
 * clock). Run when the queue moves (an accept, a customer leaving, a request becoming a ticket) and
 * every minute by the job handoff.places (for the moves the minute held back). Each notice is claimed
 * on its row first, so two instances never tell the same move twice.
 */
export class PlaceNotices {
  constructor(private readonly deps: { db: Db; queue: HandoffQueueService; messenger: ProactiveMessenger; i18n: I18n; logger: Logger; clock: () => Date }) {}

  /** The queue moved: tell who moved up, without holding up the caller (failures are logged). */
  queueMoved(): void {
    this.tellMoves(this.deps.clock()).catch((err: unknown) => this.deps.logger.warn({ err }, 'handoff: places in line not told'));
  }

  /** Tells every waiting customer whose place improved since they were last told (and not within the minute). Returns how many were told. */
  async tellMoves(now: Date): Promise<number> {
    const waiting = await this.deps.db.handoff.findMany({
      where: { status: 'QUEUED', queue: { not: 'external' } },
      orderBy: [{ priority: 'desc' }, { requestedAt: 'asc' }],
      take: 500,
    });
    const places = new Map<string, number>();
    let told = 0;
    for (const handoff of waiting) {
      const position = (places.get(handoff.queue) ?? 0) + 1;
      places.set(handoff.queue, position);
      if (this.due(handoff, position, now) && (await this.tell(handoff, position, now))) told++;
    }
    return told;
  }

  private due(handoff: HandoffRow, position: number, now: Date): boolean {
    if (handoff.positionTold === null || position >= handoff.positionTold) return false;
    return !handoff.positionToldAt || now.getTime() - handoff.positionToldAt.getTime() >= PLACE_NOTICE_EVERY_MS;
  }

  private async tell(handoff: HandoffRow, position: number, now: Date): Promise<boolean> {
    const { db, queue, messenger, i18n } = this.deps;
    const { count } = await db.handoff.updateMany({
      where: { id: handoff.id, status: 'QUEUED', positionTold: handoff.positionTold, positionToldAt: handoff.positionToldAt },
      data: { positionTold: position, positionToldAt: now },
    });
    if (count !== 1) return false; // told by another instance, accepted or left meanwhile
    const minutes = await queue.estimateMinutes(handoff.queue, position);
    const locale = normalizeLocale(handoff.locale) ?? 'zh-CN';
    await messenger.send(handoff.conversationId, async (context) => {
      await context.sendActivity(i18n.t(locale, 'handoff.customer.movedUp', { position, minutes }));
    }, { type: 'system', id: null });
    return true;
  }
}
