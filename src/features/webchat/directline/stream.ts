import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../../logger';
import type { DirectLineService } from './service';
import type { TokenService } from './tokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,128})\/stream$/;
const PING_MS = 30_000;
/** How often, while streams are open, we look whether the HTTP server began to shut down. */
const SHUTDOWN_CHECK_MS = 200;

/**
 * WebSocket streaming (the conversation's streamUrl): on connect, the activities after the watermark;
 * then every new one as `{ activities: [...], watermark }`, so replies arrive without polling delay.
 */
export class ActivityStreams {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  /** Open streams, and whether each answered the last ping. */
  private readonly open = new Map<WebSocket, { alive: boolean }>();
  private pinger?: NodeJS.Timeout;
  private shutdownWatch?: NodeJS.Timeout;

  constructor(
    private readonly httpServer: HttpServer,
    private readonly service: DirectLineService,
    private readonly tokens: TokenService,
    private readonly logger: Logger,
  ) {
    httpServer.on('upgrade', this.onUpgrade);
  }

  get count(): number {
    return this.open.size;
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) return; // Another module's WebSocket path.
    const check = this.tokens.check(url.searchParams.get('t') ?? undefined, 'stream');
    if (!check.ok || check.claims.conv !== match[1]) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const claims = check.claims;
    const watermark = url.searchParams.get('watermark') ?? undefined;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const health = { alive: true };
      ws.on('pong', () => (health.alive = true));
      // Client pings are empty text frames: nothing to do.
      ws.on('message', () => undefined);
      const unsubscribe = this.service.subscribe(claims, watermark, (set) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(set));
      });
      this.open.set(ws, health);
      this.watch();
      ws.on('close', () => {
        unsubscribe();
        this.open.delete(ws);
        if (this.open.size === 0) this.unwatch();
      });
      ws.on('error', (err) => this.logger.debug({ err, conversationId: claims.conv }, 'direct line: stream error'));
    });
  };

  /** Pings open streams (dropping dead ones), and closes them all once the HTTP server stops listening. */
  private watch(): void {
    this.pinger ??= setInterval(() => {
      for (const [ws, health] of this.open) {
        if (!health.alive) {
          ws.terminate();
          continue;
        }
        health.alive = false;
        ws.ping();
      }
    }, PING_MS).unref();
    // The server's close() waits for upgraded sockets, and modules stop only after it: close them here.
    this.shutdownWatch ??= setInterval(() => {
      if (!this.httpServer.listening) this.closeAll();
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
    for (const ws of this.open.keys()) ws.close(1001, 'server shutting down');
    setTimeout(() => {
      for (const ws of this.open.keys()) ws.terminate();
    }, 1000).unref();
  }

  stop(): void {
    this.httpServer.off('upgrade', this.onUpgrade);
    this.closeAll();
    this.unwatch();
    this.wss.close();
  }
}
