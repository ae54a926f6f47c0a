import type { ConversationReference } from 'botbuilder';
import { AppError, type ErrorCode } from '../../../errors';
import type { ConversationDirectory } from '../../../crm/conversations';
import type { Logger } from '../../../logger';
import { CHANNEL_ID, SerialQueues, clientActivityIdOf, type ActivitySet, type DirectLineActivity } from './channel';
import { seqOf, type ChannelConversation, type ChannelLog } from './log';
import type { ConversationClaims, IssuedToken, ShopIdentity, TokenService } from './tokens';

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'too_large',
  415: 'unsupported_media_type',
  500: 'internal',
  502: 'upstream_failed',
};

/** A Direct Line error: an AppError with the protocol's own code, answered as `{ error: { code, message } }` with its HTTP status. */
export class DirectLineError extends AppError {
  constructor(status: keyof typeof CODE_OF_STATUS, publicCode: string, message: string) {
    super(CODE_OF_STATUS[status] ?? 'internal', message, { publicCode });
    this.name = 'DirectLineError';
  }
}

/** Hands an activity to the bot (POST to its own /api/messages over loopback); resolves with the HTTP status. */
export type BotGateway = (activity: Record<string, unknown>) => Promise<number>;

export interface StartedConversation extends IssuedToken {
  streamUrl: string;
  /** True the first time (201), false when the client started it before (200). */
  created: boolean;
}

/** What a client may put in an activity it posts; the channel sets ids, from, conversation and timestamps. */
export interface ClientActivity {
  type: string;
  text?: string | null;
  locale?: string | null;
  textFormat?: string;
  attachments?: Record<string, unknown>[];
  channelData?: Record<string, unknown>;
  value?: unknown;
  name?: string;
  entities?: unknown[];
  localTimestamp?: string;
  localTimezone?: string;
  from?: { id?: string; name?: string };
}

export interface DirectLineServiceDeps {
  tokens: TokenService;
  directory: ConversationDirectory;
  log: ChannelLog;
  logger: Logger;
  bot: BotGateway;
  /** The bot's account (recipient of the customer's activities). */
  botAccount: { id: string; name: string };
  /** The serviceUrl the bot replies to (the connector endpoint), once the server listens. */
  serviceUrl: () => Promise<string>;
  /** The services' clock (a sign-out ends the sign-in at its now). */
  clock: () => Date;
}

/**
 * A Direct Line 3.0-compatible channel: conversations, the customer's activities (appended to the
 * conversation's log with an id, then delivered to the bot in order), the bot's replies (from the
 * connector endpoint), tokens and the customer's verified shop identity. Everything a client sees
 * is in the log (log.ts): any instance can answer any request.
 */
export class DirectLineService {
  private readonly deliveries = new SerialQueues();

  constructor(private readonly deps: DirectLineServiceDeps) {}

  /**
   * A new conversation id and token (tokens/generate, or the web chat's token endpoint). With a verified
   * shop identity the conversation is linked to that customer before its first activity.
   */
  async generate(input: { userId?: string; userName?: string; identity?: ShopIdentity; locale?: string }): Promise<IssuedToken> {
    const conversationId = this.deps.tokens.newConversationId();
    const userId = input.userId && /^dl_[A-Za-z0-9_-]{1,64}$/.test(input.userId) ? input.userId : this.deps.tokens.newUserId();
    const conversation = await this.deps.log.getOrCreate(conversationId, userId, {
      userName: input.userName?.slice(0, 100) || input.identity?.name || null,
      locale: input.locale ?? null,
    });
    if (input.identity) await this.link(conversation, input.identity);
    return this.deps.tokens.issue(conversationId, userId);
  }

  /** POST /conversations: the client opens the conversation its token names; the bot hears a conversationUpdate once. */
  async start(claims: ConversationClaims, input: { locale?: string; baseUrl: string }): Promise<StartedConversation> {
    let conversation = await this.deps.log.getOrCreate(claims.conv, claims.user);
    if (input.locale && input.locale !== conversation.locale) {
      await this.deps.log.update(conversation.id, { locale: input.locale });
      conversation = { ...conversation, locale: input.locale };
    }
    const created = await this.deps.log.markStarted(conversation.id);
    if (created) {
      // Not awaited: the welcome arrives through the log/stream like any reply.
      void this.deliver(conversation, this.conversationUpdate(conversation)).catch((err: unknown) =>
        this.deps.logger.error({ err, conversationId: conversation.id }, 'direct line: conversationUpdate not delivered'),
      );
    }
    return { ...this.deps.tokens.issue(claims.conv, claims.user), streamUrl: this.streamUrl(claims, input.baseUrl, undefined), created };
  }

  /** GET /conversations/{id}: a fresh token and streamUrl for a client that reconnects. */
  async reconnect(claims: ConversationClaims, input: { watermark?: string; baseUrl: string }): Promise<IssuedToken & { streamUrl: string }> {
    await this.deps.log.getOrCreate(claims.conv, claims.user);
    return { ...this.deps.tokens.issue(claims.conv, claims.user), streamUrl: this.streamUrl(claims, input.baseUrl, input.watermark) };
  }

  /** POST /tokens/refresh, optionally signing the customer in (a verified identity links an anonymous conversation). */
  async refresh(claims: ConversationClaims, identity?: ShopIdentity): Promise<IssuedToken> {
    const conversation = await this.deps.log.getOrCreate(claims.conv, claims.user);
    if (identity) await this.link(conversation, identity);
    return this.deps.tokens.issue(claims.conv, claims.user);
  }

  /** The customer signs out: the conversation's shop sign-in ends now (the token still opens the conversation, as a guest's). */
  async signOut(claims: ConversationClaims): Promise<{ signedOut: boolean }> {
    const signedOut = await this.deps.directory.signOut(CHANNEL_ID, claims.conv, this.deps.clock());
    if (signedOut) this.deps.logger.info({ conversationId: claims.conv }, 'direct line: the customer signed out');
    return { signedOut };
  }

  activities(claims: ConversationClaims, watermark: string | undefined): Promise<ActivitySet> {
    return this.deps.log.after(claims.conv, watermark);
  }

  /**
   * The customer posts an activity: it is appended to the log with an id (same channelData.clientActivityID),
   * then the bot gets the same activity, same id. A client retry of the same clientActivityID is not delivered twice.
   */
  async post(claims: ConversationClaims, input: ClientActivity): Promise<{ id: string }> {
    let conversation = await this.deps.log.getOrCreate(claims.conv, claims.user);
    const clientActivityId = clientActivityIdOf(input);
    if (clientActivityId) {
      const earlier = await this.deps.log.findByClientActivityId(conversation.id, clientActivityId);
      if (earlier) return { id: earlier.id };
    }
    if (input.type === 'typing') return this.typing(conversation, input);
    if (input.locale && input.locale !== conversation.locale) {
      await this.deps.log.update(conversation.id, { locale: input.locale });
      conversation = { ...conversation, locale: input.locale };
    }
    const echo = await this.deps.log.append(
      conversation.id,
      {
        ...pickClientFields(input),
        type: input.type,
        channelId: CHANNEL_ID,
        conversation: { id: conversation.id },
        from: { id: conversation.userId, ...(conversation.userName ? { name: conversation.userName } : {}), role: 'user' },
      },
      clientActivityId,
    );
    const status = await this.deliver(conversation, echo);
    if (status >= 400) {
      this.deps.logger.warn({ conversationId: conversation.id, status }, 'direct line: the bot did not accept an activity');
      throw new DirectLineError(502, 'BotError', 'The bot could not take the message.');
    }
    return { id: echo.id };
  }

  /**
   * The customer is typing: delivered to the bot (which shows it to an agent of a live chat) but not
   * kept in the log, and not echoed to the client. Its id is one of its own, outside the log's sequence.
   */
  private async typing(conversation: ChannelConversation, input: ClientActivity): Promise<{ id: string }> {
    const id = `${conversation.id}|t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const from = { id: conversation.userId, ...(conversation.userName ? { name: conversation.userName } : {}), role: 'user' };
    const status = await this.deliver(conversation, { ...pickClientFields(input), type: 'typing', id, timestamp: new Date().toISOString(), channelId: CHANNEL_ID, conversation: { id: conversation.id }, from });
    if (status >= 400) throw new DirectLineError(502, 'BotError', 'The bot could not take the activity.');
    return { id };
  }

  /** The connector endpoint: the bot sends an activity into a conversation. */
  async fromBot(conversationId: string, activity: Record<string, unknown>): Promise<{ id: string }> {
    const conversation = await this.deps.log.get(conversationId);
    if (!conversation) throw new DirectLineError(404, 'NotFound', 'No such conversation.');
    const from = isAccount(activity.from) ? activity.from : { id: this.deps.botAccount.id, name: this.deps.botAccount.name };
    // A reply to something the client never saw (the conversationUpdate) would make Web Chat hold it for 5 s.
    // serviceUrl names the connector's secret path: never shown to clients. The log gives id and timestamp.
    const { replyToId, serviceUrl: _serviceUrl, id: _id, timestamp: _timestamp, ...rest } = activity;
    const replyTo = typeof replyToId === 'string' ? seqOf(conversationId, replyToId) : undefined;
    // An agent's typing indicator reaches the open streams but is not kept.
    if (activity.type === 'typing') {
      return { id: (await this.deps.log.announce(conversationId, { ...rest, type: 'typing', channelId: CHANNEL_ID, conversation: { id: conversationId }, from: { ...from, role: 'bot' } })).id };
    }
    const stored = await this.deps.log.append(conversationId, {
      ...rest,
      type: typeof activity.type === 'string' ? activity.type : 'message',
      channelId: CHANNEL_ID,
      conversation: { id: conversationId },
      from: { ...from, role: 'bot' },
      ...(replyTo !== undefined && replyTo <= conversation.lastSeq ? { replyToId } : {}),
    });
    return { id: stored.id };
  }

  /** The conversation's members, for the connector's GET .../members. */
  async members(conversationId: string): Promise<{ id: string; name?: string }[]> {
    const c = await this.deps.log.get(conversationId);
    return c ? [{ id: c.userId, ...(c.userName ? { name: c.userName } : {}) }] : [];
  }

  /** Links the conversation to the shop's customer, verified until the identity's `until`; the same customer again extends it. */
  private async link(conversation: ChannelConversation, identity: ShopIdentity): Promise<void> {
    if (conversation.externalId && conversation.externalId !== identity.externalId) throw new DirectLineError(403, 'IdentityConflict', 'This conversation belongs to another signed-in customer.');
    const serviceUrl = await this.deps.serviceUrl();
    const reference: Partial<ConversationReference> = {
      channelId: CHANNEL_ID,
      serviceUrl,
      conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
      user: { id: conversation.userId, name: conversation.userName ?? '' },
      bot: { id: this.deps.botAccount.id, name: this.deps.botAccount.name },
      locale: conversation.locale ?? undefined,
    };
    const linked = await this.deps.directory.linkShopCustomer({
      channelId: CHANNEL_ID,
      channelConversationId: conversation.id,
      externalId: identity.externalId,
      name: identity.name,
      locale: conversation.locale,
      reference,
      verifiedUntil: identity.until,
    });
    if ('conflict' in linked) throw new DirectLineError(403, 'IdentityConflict', 'This conversation belongs to another signed-in customer.');
    if (conversation.externalId !== identity.externalId) await this.deps.log.update(conversation.id, { externalId: identity.externalId });
    this.deps.logger.info({ conversationId: conversation.id, customerId: linked.customerId }, 'direct line: conversation linked to a signed-in customer');
  }

  private conversationUpdate(conversation: ChannelConversation): DirectLineActivity {
    const user = { id: conversation.userId, ...(conversation.userName ? { name: conversation.userName } : {}) };
    return {
      type: 'conversationUpdate',
      id: `${conversation.id}|start`,
      timestamp: new Date().toISOString(),
      channelId: CHANNEL_ID,
      conversation: { id: conversation.id },
      from: { ...user, role: 'user' },
      membersAdded: [{ id: this.deps.botAccount.id, name: this.deps.botAccount.name }, user],
      ...(conversation.locale ? { locale: conversation.locale } : {}),
    };
  }

  /** Delivers to the bot, one activity per conversation at a time (in this process). */
  private deliver(conversation: ChannelConversation, activity: DirectLineActivity): Promise<number> {
    return this.deliveries.run(conversation.id, async () => {
      const serviceUrl = await this.deps.serviceUrl();
      return this.deps.bot({
        ...activity,
        serviceUrl,
        recipient: { id: this.deps.botAccount.id, name: this.deps.botAccount.name, role: 'bot' },
      });
    });
  }

  private streamUrl(claims: ConversationClaims, baseUrl: string, watermark: string | undefined): string {
    const ws = baseUrl.replace(/^http/, 'ws');
    const t = this.deps.tokens.issueStream(claims.conv, claims.user);
    const w = watermark ? `&watermark=${encodeURIComponent(watermark)}` : '';
    return `${ws}/v3/directline/conversations/${encodeURIComponent(claims.conv)}/stream?t=${encodeURIComponent(t)}${w}`;
  }
}

function isAccount(v: unknown): v is { id: string; name?: string } {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';
}

/** The fields of a client's activity that pass through to the bot and back (never ids, from or conversation). */
function pickClientFields(input: ClientActivity): Partial<DirectLineActivity> {
  const out: Partial<DirectLineActivity> = {};
  if (typeof input.text === 'string') out.text = input.text;
  if (input.locale) out.locale = input.locale;
  if (input.textFormat) out.textFormat = input.textFormat;
  if (input.attachments?.length) out.attachments = input.attachments;
  if (input.channelData) out.channelData = input.channelData;
  if (input.value !== undefined) out.value = input.value;
  if (input.name) out.name = input.name;
  if (input.entities?.length) out.entities = input.entities;
  if (input.localTimestamp) out.localTimestamp = input.localTimestamp;
  if (input.localTimezone) out.localTimezone = input.localTimezone;
  return out;
}
