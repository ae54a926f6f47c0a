import { ActivityTypes } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import type { Broadcast } from '../../events/broadcast';
import type { ProactiveMessenger } from '../../bot/proactive';
import type { StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import type { HandoffDesk } from './desk';
import type { HandoffQueueService } from './queue';
import { CONSOLE_TOPIC, type ConsoleUpdate } from './types';

/** At most one typing signal per chat and direction in this long (Web Chat itself sends one every 3 s while typing). */
export const TYPING_EVERY_MS = 2000;
/** How long this instance trusts what it read of a conversation's live chat (moves of the chat clear it at once). */
const LIVE_TTL_MS = 30_000;

interface LiveChat {
  handoffId: string;
  agentId: string | null;
}

/**
 * Typing indicators both ways, never stored: the customer's typing (a `typing` activity, which the
 * turn middleware passes on without touching the store) shown in the console of the chat's agent;
 * the agent's typing (the console's input, throttled) sent to the customer's channel as a `typing`
 * activity. Which chat a conversation has live is cached per instance, and every console update about
 * a conversation (accept, transfer, end, on any instance) drops its entry.
 */
export class TypingRelay {
  private readonly live = new LRUCache<string, LiveChat | false>({ max: 5000, ttl: LIVE_TTL_MS });
  private readonly lastSignal = new LRUCache<string, number>({ max: 10_000, ttl: TYPING_EVERY_MS });
  private unsubscribe?: () => void;

  constructor(private readonly deps: { db: Db; broadcast: Broadcast; queue: HandoffQueueService; desk: HandoffDesk; messenger: ProactiveMessenger }) {}

  start(): void {
    this.unsubscribe = this.deps.broadcast.subscribe(CONSOLE_TOPIC, (message) => {
      try {
        const update = JSON.parse(message) as ConsoleUpdate;
        if (update.conversationId && update.kind !== 'typing' && update.kind !== 'message') this.live.delete(update.conversationId);
      } catch {
        // not an update of ours
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** True when a signal for this key was let through less than TYPING_EVERY_MS ago (and remembers this one otherwise). */
  private throttled(key: string): boolean {
    const now = Date.now();
    const last = this.lastSignal.get(key);
    if (last !== undefined && now - last < TYPING_EVERY_MS) return true;
    this.lastSignal.set(key, now);
    return false;
  }

  private async liveChat(conversationId: string): Promise<LiveChat | false> {
    const cached = this.live.get(conversationId);
    if (cached !== undefined) return cached;
    const row = await this.deps.db.handoff.findFirst({ where: { conversationId, status: 'ACTIVE', queue: { not: 'external' } }, select: { id: true, agentId: true } });
    const chat = row ? { handoffId: row.id, agentId: row.agentId } : false;
    this.live.set(conversationId, chat);
    return chat;
  }

  /** The customer of this conversation is typing: the agent of its live chat (and the supervisors) are told. */
  async customerTyping(conversationId: string): Promise<void> {
    const chat = await this.liveChat(conversationId);
    if (!chat || this.throttled(`c:${conversationId}`)) return;
    await this.deps.queue.publish({ kind: 'typing', handoffId: chat.handoffId, conversationId, agentId: chat.agentId, typing: { from: 'customer' } });
  }

  /**
   * The agent is typing in the console: the customer sees the typing indicator on their channel.
   * 403 on another agent's chat (a supervisor may), 409 on a chat that is not live; false when throttled.
   */
  async agentTyping(handoffId: string, member: StaffMember): Promise<boolean> {
    const { desk, messenger } = this.deps;
    const handoff = await desk.get(handoffId);
    desk.authorize(handoff, member);
    desk.active(handoff);
    if (this.throttled(`a:${handoffId}`)) return false;
    const sent = await messenger.send(handoff.conversationId, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Typing, channelData: { kefuAgent: { id: member.id, name: member.name } } });
    }, { type: 'agent', id: member.id });
    return sent;
  }
}
