import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import type { Request, Response, Next } from 'restify';
import { AppError } from '../errors';
import { sendError } from './errors';

/**
 * Kefu's own request body reader, in place of restify's (whose gunzip stream has no error handler:
 * a body sent as `Content-Encoding: gzip` that is not gzip killed the process, and its limit counted
 * compressed bytes only). Here:
 * - the limit is on the bytes the handler gets, after decompression (413 past it);
 * - `gzip`, `deflate` and `identity` are read; any other encoding is 415; a body that does not
 *   decompress is 400;
 * - a stream error (a client that hangs up mid-body) ends this request only, never the process.
 */

const DECODERS: Record<string, (input: Buffer, maxOutputLength: number) => Promise<Buffer>> = {
  gzip: (input, maxOutputLength) => promisified(zlib.gunzip, input, maxOutputLength),
  'x-gzip': (input, maxOutputLength) => promisified(zlib.gunzip, input, maxOutputLength),
  deflate: (input, maxOutputLength) => promisified(zlib.inflate, input, maxOutputLength),
};

type ZlibCall = (input: Buffer, options: zlib.ZlibOptions, callback: (err: Error | null, result: Buffer) => void) => void;

function promisified(fn: ZlibCall, input: Buffer, maxOutputLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => fn(input, { maxOutputLength }, (err, result) => (err ? reject(err) : resolve(result))));
}

/** The encodings of a request body, outermost last ("gzip" or "deflate, gzip"); identity dropped. */
function encodingsOf(req: IncomingMessage): string[] {
  const header = req.headers['content-encoding'];
  if (!header) return [];
  return header
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
}

/** Whether the request announces a body at all (a length above zero, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** The raw bytes as sent, up to `limit`; an AppError (413) past it, (400) if the client breaks off. */
function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      discard(req);
      reject(new AppError('too_large', `The body may be at most ${limit} bytes.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        discard(req);
        reject(new AppError('too_large', `The body may be at most ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      discard(req);
      reject(new AppError('invalid_request', 'The body could not be read.'));
    };
    const onAborted = onError;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** Lets the rest of a refused body flow away (so the client can read the answer); errors are dropped. */
function discard(req: IncomingMessage): void {
  req.on('error', () => undefined);
  req.resume();
}

/**
 * The request's body, decoded, at most `limit` bytes after decompression. AppError: 413 too large,
 * 415 an unknown encoding, 400 a body that does not decompress or was cut off.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encodings = encodingsOf(req);
  const unknown = encodings.find((e) => !DECODERS[e]);
  if (unknown !== undefined) {
    discard(req);
    throw new AppError('unsupported_media_type', `Content-Encoding "${unknown.slice(0, 40)}" is not supported; send gzip, deflate or no encoding.`);
  }
  let body = await readRaw(req, limit);
  for (const encoding of encodings.reverse()) {
    try {
      body = await DECODERS[encoding]!(body, limit);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new AppError('too_large', `The body may be at most ${limit} bytes once decompressed.`);
      throw new AppError('invalid_request', `The body is not valid ${encoding} data.`);
    }
  }
  return body;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** A request whose body bodyParser read: the decoded bytes as they arrived, before JSON parsing. */
export type RawBodyRequest = Request & { rawBody?: Buffer };

/** Whether a Content-Type is JSON (application/json or application/*+json). */
export function isJsonType(contentType: string | undefined): boolean {
  return JSON_TYPE.test((contentType ?? '').split(';')[0]!.trim());
}

/**
 * restify middleware: reads the body of every request that has one (multipart and octet-stream
 * bodies are left to their routes, which read them with readBody), JSON parsed into `req.body`,
 * anything else as text. Bad bodies are answered here (400 / 413 / 415) and never reach a route.
 */
export function bodyParser(maxBodyBytes: number) {
  return (req: Request, res: Response, next: Next): void => {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!hasBody(req) || contentType === 'multipart/form-data' || contentType === 'application/octet-stream') {
      next();
      return;
    }
    readBody(req, maxBodyBytes).then(
      (bytes) => {
        // Kept for routes that verify a signature over the exact bytes sent (src/features/shop).
        (req as RawBodyRequest).rawBody = bytes;
        const text = bytes.toString('utf8');
        if (!isJsonType(contentType)) {
          req.body = text;
          next();
          return;
        }
        if (text.trim() === '') {
          next();
          return;
        }
        try {
          req.body = JSON.parse(text) as unknown;
        } catch {
          sendError(res, new AppError('invalid_request', 'The body is not valid JSON.'));
          next(false);
          return;
        }
        next();
      },
      (err: unknown) => {
        sendError(res, err instanceof AppError ? err : new AppError('invalid_request', 'The body could not be read.'));
        next(false);
      },
    );
  };
}
