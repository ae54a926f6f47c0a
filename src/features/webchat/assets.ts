import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Request, Response } from 'restify';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** A static file held in memory with its gzip and brotli forms, compressed once (asynchronously) at start. */
export class StaticAsset {
  readonly etag: string;
  /** The content hash, for immutable versioned URLs. */
  readonly hash: string;
  private readonly compressed: Promise<{ br: Buffer; gzip: Buffer }>;

  constructor(
    readonly body: Buffer,
    readonly contentType: string,
  ) {
    this.hash = crypto.createHash('sha256').update(body).digest('base64url').slice(0, 16);
    this.etag = `"${this.hash}"`;
    this.compressed = Promise.all([
      brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gzip(body, { level: 9 }),
    ]).then(([br, gz]) => ({ br, gzip: gz }));
    // An unhandled rejection would only surface when served; keep it for then.
    this.compressed.catch(() => undefined);
  }

  sizes(): Promise<{ raw: number; br: number; gzip: number }> {
    return this.compressed.then((c) => ({ raw: this.body.length, br: c.br.length, gzip: c.gzip.length }));
  }

  /** Serves the asset: 304 on a matching If-None-Match, else the best encoding the client accepts. */
  async serve(req: Request, res: Response, cacheControl: string): Promise<void> {
    const headers: Record<string, string | number> = {
      'Content-Type': this.contentType,
      ETag: this.etag,
      'Cache-Control': cacheControl,
      Vary: 'Accept-Encoding',
      'X-Content-Type-Options': 'nosniff',
    };
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === this.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const accept = String(req.headers['accept-encoding'] ?? '');
    const { br, gzip: gz } = await this.compressed;
    let body = this.body;
    if (/\bbr\b/.test(accept)) {
      body = br;
      headers['Content-Encoding'] = 'br';
    } else if (/\bgzip\b/.test(accept)) {
      body = gz;
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

/** Finds an installed package's file without going through its `exports` map (which hides dist/). */
export function findPackageFile(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = path.join(dir, pkg, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${pkg}/${file} not found: is ${pkg} installed?`);
}

/** Microsoft Web Chat's browser bundle, from node_modules (no CDN). */
export function loadWebChatBundle(): { asset: StaticAsset; version: string } {
  const file = findPackageFile('botframework-webchat', 'dist/webchat.js');
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(file), '..', 'package.json'), 'utf8')) as { version: string };
  return { asset: new StaticAsset(fs.readFileSync(file), 'application/javascript; charset=utf-8'), version: pkg.version };
}
