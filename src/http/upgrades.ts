import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server } from 'restify';

/** Takes an upgrade whose path matched; it must answer the socket (accept, or refuse and end it). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, match: RegExpExecArray) => void;

interface UpgradeRoute {
  path: RegExp;
  handler: UpgradeHandler;
}

const routesByServer = new WeakMap<Server, UpgradeRoute[]>();

/**
 * The one `upgrade` listener of the HTTP server (createHttpServer installs it): an upgrade to a
 * registered path goes to its handler; any other is answered 404 and its socket destroyed. Without
 * it, an upgrade nobody took stayed open for ever and kept a graceful shutdown from completing.
 */
export function installUpgradeRouter(server: Server): void {
  const routes: UpgradeRoute[] = [];
  routesByServer.set(server, routes);
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = URL.parse(req.url ?? '/', 'http://localhost')?.pathname;
    if (pathname === undefined) {
      refuseUpgrade(socket, 400, 'Bad Request');
      return;
    }
    for (const route of routes) {
      const match = route.path.exec(pathname);
      if (!match) continue;
      try {
        route.handler(req, socket, head, match);
      } catch {
        refuseUpgrade(socket, 500, 'Internal Server Error');
      }
      return;
    }
    refuseUpgrade(socket, 404, 'Not Found');
  });
}

/** Registers a WebSocket path (a feature's stream); `stop` removes it. */
export function upgradeRoute(server: Server, path: RegExp, handler: UpgradeHandler): { stop(): void } {
  const routes = routesByServer.get(server);
  if (!routes) throw new Error('upgradeRoute: the server has no upgrade router (createHttpServer installs it)');
  const route = { path, handler };
  routes.push(route);
  return {
    stop() {
      const i = routes.indexOf(route);
      if (i >= 0) routes.splice(i, 1);
    },
  };
}

/** Answers an upgrade with a plain HTTP status and closes the socket for good. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // end() flushes the answer; destroy() after it, so a peer that never reads cannot hold the socket.
  socket.once('finish', () => socket.destroy());
  setTimeout(() => socket.destroy(), 1000).unref();
}
