import crypto from 'node:crypto';
import type { Request, Response, Next } from 'restify';

/**
 * Headers every response carries (restify `pre`, so 404s too): no MIME sniffing, no framing (no
 * clickjacking of the demo page), no Referer (stream and upload URLs carry secrets), and a CSP that
 * allows nothing, which is right for JSON and files. An HTML page sets its own CSP (htmlPageCsp).
 */
export function securityHeaders() {
  return (_req: Request, res: Response, next: Next): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    next();
  };
}

/**
 * The CSP of an HTML page of ours (the demo shop with Web Chat): scripts from this origin and the
 * page's own inline scripts (by hash, so no injected script runs), styles inline (Web Chat injects
 * its styles), images from here, data: and blob: (photo previews), fetches and the WebSocket stream
 * to this origin only.
 */
export function htmlPageCsp(html: string): string {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (m) => `'sha256-${crypto.createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // Web Chat makes photo thumbnails in a worker it creates from a blob: URL.
    "worker-src 'self' blob:",
    "font-src 'self' data:",
    // Web Chat reads a photo to upload from its blob: URL with fetch.
    "connect-src 'self' ws: wss: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
