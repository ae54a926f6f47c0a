import fs from 'node:fs/promises';
import path from 'node:path';
import { randomId } from './jwt';

/** Image types accepted for upload, recognised by their first bytes (never by the declared type alone). */
const IMAGE_TYPES: { contentType: string; ext: string; test: (b: Buffer) => boolean }[] = [
  { contentType: 'image/png', ext: 'png', test: (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { contentType: 'image/jpeg', ext: 'jpg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { contentType: 'image/gif', ext: 'gif', test: (b) => b.length > 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')) },
  { contentType: 'image/webp', ext: 'webp', test: (b) => b.length > 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

const STORED_NAME = /^[A-Za-z0-9_-]{32}\.(png|jpg|gif|webp)$/;

export function sniffImage(bytes: Buffer): { contentType: string; ext: string } | undefined {
  const found = IMAGE_TYPES.find((t) => t.test(bytes));
  return found && { contentType: found.contentType, ext: found.ext };
}

export interface StoredUpload {
  /** The file's name in the upload folder: 192 random bits plus the image type's extension (the URL's secret). */
  name: string;
  contentType: string;
  size: number;
}

/**
 * Customers' photos (e.g. of a damaged item for a return), as files in one folder. A file is served
 * back only at its unguessable name; only PNG, JPEG, GIF and WebP are kept (no SVG: it can carry script).
 */
export class UploadStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  async init(): Promise<void> {
    // Customers' photos are private: the folder is the bot's user's alone (0700), each file 0600.
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await fs.chmod(this.dir, 0o700);
  }

  /** Deletes the photos stored before `cutoff` (the retention job); how many were deleted. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (const name of await fs.readdir(this.dir)) {
      if (!STORED_NAME.test(name)) continue;
      const file = path.join(this.dir, name);
      try {
        if ((await fs.stat(file)).mtime < cutoff) {
          await fs.unlink(file);
          deleted++;
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return deleted;
  }

  /** Stores an image; undefined when the bytes are not an accepted image type. */
  async save(bytes: Buffer): Promise<StoredUpload | undefined> {
    const type = sniffImage(bytes);
    if (!type) return undefined;
    const name = `${randomId(24)}.${type.ext}`;
    await fs.writeFile(path.join(this.dir, name), bytes, { flag: 'wx', mode: 0o600 });
    return { name, contentType: type.contentType, size: bytes.length };
  }

  async read(name: string): Promise<{ bytes: Buffer; contentType: string } | undefined> {
    if (!STORED_NAME.test(name)) return undefined;
    try {
      const bytes = await fs.readFile(path.join(this.dir, name));
      const type = sniffImage(bytes);
      return type && { bytes, contentType: type.contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
}
