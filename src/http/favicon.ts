import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';

const PUBLIC_DIR = path.join(__dirname, 'public');

/**
 * The site icon, for every page the server has (the shop page, later the staff's): browsers ask for
 * /favicon.ico on their own, pages link /favicon.svg. Both are drawn from favicon.svg (the .ico holds
 * 16, 32 and 48 px PNGs of it).
 */
export function registerFavicon(server: Server): void {
  const icons = [
    { route: '/favicon.ico', file: 'favicon.ico', type: 'image/x-icon' },
    { route: '/favicon.svg', file: 'favicon.svg', type: 'image/svg+xml' },
  ];
  for (const icon of icons) {
    const body = fs.readFileSync(path.join(PUBLIC_DIR, icon.file));
    server.get(icon.route, async (_req: Request, res: Response) => {
      res.writeHead(200, { 'Content-Type': icon.type, 'Content-Length': body.length, 'Cache-Control': 'public, max-age=86400' });
      res.end(body);
    });
  }
}
