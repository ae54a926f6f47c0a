import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Broadcast } from '../../events/broadcast';
import { upgradeRoute } from '../../http/upgrades';
import type { Logger } from '../../logger';
import { crossOrigin, type Staff, type StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import type { TypingRelay } from './typing';
import { CONSOLE_TOPIC, type ConsoleUpdate } from './types';

export const CONSOLE_SOCKET_PATH = '/agent/ws';
const PING_MS = 25_000;

interface Client {
  ws: WebSocket;
  member: StaffMember;
  alive: boolean;
}

/**
 * The console's WebSocket (/agent/ws, signed-in staff from this site): every instance pushes the
 * console updates it hears on the broadcast (a customer's message, a new request in the queue, an
 * accept, an end) to the agents they concern; the client sends its presence. When an agent's last
 * socket closes, their presence drops to offline (no more requests are routed to them).
 */
export class ConsoleSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  private readonly clients = new Set<Client>();
  private unsubscribe?: () => void;
  private pinger?: NodeJS.Timeout;
  private route?: { stop(): void };

  constructor(private readonly deps: { server: Server; staff: Staff; broadcast: Broadcast; db: Db; logger: Logger; typing: TypingRelay }) {}

  start(): void {
    // Through the server's one upgrade router (src/http/upgrades.ts), which refuses every other path.
    this.route = upgradeRoute(this.deps.server, new RegExp(`^${CONSOLE_SOCKET_PATH}$`), this.onUpgrade);
    this.unsubscribe = this.deps.broadcast.subscribe(CONSOLE_TOPIC, (message) => this.fanOut(message));
    this.pinger = setInterval(() => {
      for (const client of this.clients) {
        if (!client.alive) client.ws.terminate();
        client.alive = false;
        client.ws.ping();
      }
    }, PING_MS).unref();
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (crossOrigin(req.headers)) return refuse('403 Forbidden');
    this.deps.staff.guard
      .authenticate(req.headers)
      .then((auth) => {
        if (!auth) return refuse('401 Unauthorized');
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, auth.member));
      })
      .catch((err: unknown) => {
        this.deps.logger.warn({ err }, 'agent console: socket sign-in check failed');
        refuse('503 Service Unavailable');
      });
  };

  private accept(ws: WebSocket, member: StaffMember): void {
    const client: Client = { ws, member, alive: true };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('error', (err) => this.deps.logger.debug({ err }, 'agent console: socket error'));
    ws.on('message', (data) => {
      let parsed: { type?: string; status?: string; handoffId?: unknown };
      try {
        parsed = JSON.parse(String(data)) as { type?: string; status?: string; handoffId?: unknown };
      } catch {
        return;
      }
      if (parsed.type === 'presence' && ['online', 'away', 'offline'].includes(parsed.status ?? '')) void this.setPresence(member.id, parsed.status as string);
      if (parsed.type === 'typing' && typeof parsed.handoffId === 'string') {
        // Another agent's chat or an ended one: nothing is sent (the HTTP route answers 403 / 409).
        this.deps.typing.agentTyping(parsed.handoffId, member).catch((err: unknown) => this.deps.logger.debug({ err }, 'agent console: typing not relayed'));
      }
    });
    ws.on('close', () => {
      this.clients.delete(client);
      if (![...this.clients].some((c) => c.member.id === member.id)) void this.setPresence(member.id, 'offline');
    });
    ws.send(JSON.stringify({ kind: 'hello', member }));
  }

  private async setPresence(agentId: string, status: string): Promise<void> {
    try {
      await this.deps.db.agentPresence.upsert({ where: { agentId }, create: { agentId, status }, update: { status } });
      await this.deps.broadcast.publish(CONSOLE_TOPIC, JSON.stringify({ kind: 'queue' } satisfies ConsoleUpdate));
    } catch (err) {
      this.deps.logger.warn({ err, agentId }, 'agent console: presence not saved');
    }
  }

  /** Which agents an update concerns: queue changes everyone; a chat's events its agent, supervisors and managers. */
  private fanOut(message: string): void {
    let update: ConsoleUpdate;
    try {
      update = JSON.parse(message) as ConsoleUpdate;
    } catch {
      return;
    }
    for (const client of this.clients) {
      const supervising = client.member.role !== 'agent';
      const mine = update.toSupervisors ? supervising : !update.agentId || update.agentId === client.member.id || supervising;
      if ((update.kind === 'queue' || mine) && client.ws.readyState === client.ws.OPEN) client.ws.send(message);
    }
  }

  /** Agents connected to this instance. */
  get count(): number {
    return this.clients.size;
  }

  stop(): void {
    this.route?.stop();
    this.unsubscribe?.();
    if (this.pinger) clearInterval(this.pinger);
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
    this.wss.close();
  }
}
