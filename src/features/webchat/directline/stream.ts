import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { RECONNECTED_TOPIC, type Broadcast } from '../../../events/broadcast';
import { refuseUpgrade, upgradeRoute } from '../../../http/upgrades';
import type { Logger } from '../../../logger';
import { ACTIVITY_TOPIC, EPHEMERAL_TOPIC, type ChannelLog } from './log';
import type { TokenService } from './tokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,128})\/stream$/;
const PING_MS = 30_000;
/** How often, while streams are open, we look whether the HTTP server began to shut down. */
const SHUTDOWN_CHECK_MS = 200;

/** An open stream: its socket, whether it answered the last ping, and what it has been sent. */
interface Stream {
  ws: WebSocket;
  conversationId: string;
  alive: boolean;
  watermark: string | undefined;
  /** A push under way, and whether another one was asked for meanwhile. */
  pushing?: Promise<void>;
  again?: boolean;
}

/**
 * WebSocket streaming (the conversation's streamUrl): on connect, the activities after the watermark;
 * then every new one as `{ activities: [...], watermark }`, so replies arrive without polling delay.
 * A new activity is announced on the broadcast (log.ts), whichever instance appended it: each
 * instance reads what its own open streams have not been sent yet, from the shared log.
 */
export class ActivityStreams {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly streams = new Map<WebSocket, Stream>();
  private readonly byConversation = new Map<string, Set<Stream>>();
  private readonly unsubscribe: (() => void)[];
  private pinger?: NodeJS.Timeout;
  private shutdownWatch?: NodeJS.Timeout;
  private readonly route: { stop(): void };

  constructor(
    private readonly server: Server,
    private readonly log: ChannelLog,
    private readonly tokens: TokenService,
    broadcast: Broadcast,
    private readonly logger: Logger,
  ) {
    this.route = upgradeRoute(server, STREAM_PATH, this.onUpgrade);
    this.unsubscribe = [
      broadcast.subscribe(ACTIVITY_TOPIC, (conversationId) => this.pushAll(conversationId)),
      broadcast.subscribe(EPHEMERAL_TOPIC, (message) => this.sendEphemeral(message)),
      // The broadcast connection was down: anything may have been missed.
      broadcast.subscribe(RECONNECTED_TOPIC, () => {
        for (const conversationId of this.byConversation.keys()) this.pushAll(conversationId);
      }),
    ];
  }

  get count(): number {
    return this.streams.size;
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, match: RegExpExecArray): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const check = this.tokens.check(url.searchParams.get('t') ?? undefined, 'stream');
    if (!check.ok || check.claims.conv !== match[1]) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    const conversationId = check.claims.conv;
    const watermark = url.searchParams.get('watermark') ?? undefined;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const stream: Stream = { ws, conversationId, alive: true, watermark };
      ws.on('pong', () => (stream.alive = true));
      // Client pings are empty text frames: nothing to do.
      ws.on('message', () => undefined);
      this.streams.set(ws, stream);
      const group = this.byConversation.get(conversationId) ?? new Set<Stream>();
      group.add(stream);
      this.byConversation.set(conversationId, group);
      this.watch();
      ws.on('close', () => {
        this.streams.delete(ws);
        group.delete(stream);
        if (group.size === 0) this.byConversation.delete(conversationId);
        if (this.streams.size === 0) this.unwatch();
      });
      ws.on('error', (err) => this.logger.debug({ err, conversationId }, 'direct line: stream error'));
      // The backlog after the client's watermark (Web Chat shows a conversation's history this way after a reload).
      this.push(stream);
    });
  };

  private pushAll(conversationId: string): void {
    for (const stream of this.byConversation.get(conversationId) ?? []) this.push(stream);
  }

  /** A typing indicator to the conversation's open streams, as is: no watermark (the log did not move). */
  private sendEphemeral(message: string): void {
    let parsed: { conversationId?: string; activity?: unknown };
    try {
      parsed = JSON.parse(message) as { conversationId?: string; activity?: unknown };
    } catch {
      return;
    }
    const streams = parsed.conversationId ? this.byConversation.get(parsed.conversationId) : undefined;
    if (!streams) return;
    const frame = JSON.stringify({ activities: [parsed.activity] });
    for (const stream of streams) if (stream.ws.readyState === stream.ws.OPEN) stream.ws.send(frame);
  }

  /** Sends the stream what it has not been sent yet; one push at a time per stream, in order. */
  private push(stream: Stream): void {
    if (stream.pushing) {
      stream.again = true;
      return;
    }
    stream.pushing = (async () => {
      do {
        stream.again = false;
        const set = await this.log.after(stream.conversationId, stream.watermark);
        if (stream.ws.readyState !== stream.ws.OPEN) return;
        if (set.activities.length > 0 || stream.watermark === undefined) stream.ws.send(JSON.stringify(set));
        if (set.watermark) stream.watermark = set.watermark;
        if (set.activities.length > 0) stream.again ||= set.activities.length >= 500;
      } while (stream.again);
    })()
      .catch((err: unknown) => this.logger.warn({ err, conversationId: stream.conversationId }, 'direct line: stream push failed'))
      .finally(() => {
        stream.pushing = undefined;
      });
  }

  /** Pings open streams (dropping dead ones), and closes them all once the HTTP server stops listening. */
  private watch(): void {
    this.pinger ??= setInterval(() => {
      for (const stream of this.streams.values()) {
        if (!stream.alive) {
          stream.ws.terminate();
          continue;
        }
        stream.alive = false;
        stream.ws.ping();
      }
    }, PING_MS).unref();
    // The server's close() waits for upgraded sockets, and features stop only after it: close them here.
    this.shutdownWatch ??= setInterval(() => {
      if (!this.server.server.listening) this.closeAll();
    }, SHUTDOWN_CHECK_MS).unref();
  }

  private unwatch(): void {
    if (this.pinger) clearInterval(this.pinger);
    if (this.shutdownWatch) clearInterval(this.shutdownWatch);
    this.pinger = undefined;
    this.shutdownWatch = undefined;
  }

  /** Closes every stream (1001 going away: clients reconnect to the restarted server). */
  closeAll(): void {
    for (const ws of this.streams.keys()) ws.close(1001, 'server shutting down');
    setTimeout(() => {
      for (const ws of this.streams.keys()) ws.terminate();
    }, 1000).unref();
  }

  stop(): void {
    this.route.stop();
    for (const off of this.unsubscribe) off();
    this.closeAll();
    this.unwatch();
    this.wss.close();
  }
}
