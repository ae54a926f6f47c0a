import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A round-robin load balancer on a loopback port, for several Kefu instances: each HTTP request and
 * each WebSocket upgrade goes to the next backend in turn (no stickiness at all, the worst case for
 * anything kept in one process). `sent` counts what each backend got.
 */
export class RoundRobinProxy {
  /** The instances behind it (may be set after the proxy listens: the instances need its URL to start). */
  backends: { host: string; port: number }[] = [];
  readonly sent: number[] = [];
  url = '';
  private next = 0;
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor() {
    this.server = http.createServer((req, res) => {
      const target = this.pick();
      const upstream = http.request({ ...target, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    this.server.on('upgrade', (req, socket, head) => {
      const target = this.pick();
      const upstream = net.connect(target.port, target.host, () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)];
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      for (const s of [socket as net.Socket, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      upstream.on('close', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    });
  }

  private pick(): { host: string; port: number } {
    const i = this.next++ % this.backends.length;
    this.sent[i] = (this.sent[i] ?? 0) + 1;
    return this.backends[i];
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
