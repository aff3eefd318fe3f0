/**
 * LocalMediaBackend: media objects as files under `<dataDir>/media/` (the default backend), with
 * HMAC-signed expiring URLs served by ./local-media-routes.ts on the relay itself.
 *
 * An upload streams to a temporary file in the same folder, counting bytes: more than declared
 * stops it at once, fewer discards it, so a stored object always has its declared size. A
 * complete upload is fsynced, then hard-linked to its final name (which fails if the name exists,
 * so a stored object is never replaced) and the folder is fsynced, so an object that was
 * acknowledged survives a crash.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { ReadStream } from 'node:fs';
import { link, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RelayError } from '../errors.js';
import type { DownloadTarget, MediaBackend, UploadTarget } from './media-backend.js';
import { isMediaId } from './media-backend.js';
import type { MediaUrlOperation, MediaUrlSigner, SignedUrlFields } from './media-url-signer.js';

/** URL path of one object on the relay (the routes module serves PUT and GET here). */
export const LOCAL_MEDIA_ROUTE = '/v1/media/blob/:mediaId';
export const localMediaPath = (mediaId: string) => `/v1/media/blob/${mediaId}`;

const TEMP_SUFFIX = '.part';

export interface LocalMediaBackendOptions {
  /** Folder for the objects; created if missing. */
  readonly directory: string;
  readonly signer: MediaUrlSigner;
  /** The relay's public origin, e.g. https://relay.example.org (known for sure only once listening). */
  readonly origin: () => string;
}

function nodeCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

export class LocalMediaBackend implements MediaBackend {
  readonly kind = 'local';
  readonly directory: string;
  private readonly signer: MediaUrlSigner;
  private readonly origin: () => string;

  constructor(options: LocalMediaBackendOptions) {
    this.directory = options.directory;
    this.signer = options.signer;
    this.origin = options.origin;
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
  }

  /** The file of an object; the id is checked first, so it can never name a path outside the folder. */
  private fileOf(mediaId: string): string {
    if (!isMediaId(mediaId)) throw new RelayError('RELAY_ERR_MEDIA_NOT_FOUND', 'malformed media id');
    return join(this.directory, mediaId);
  }

  private url(fields: SignedUrlFields): string {
    return `${this.origin()}${localMediaPath(fields.mediaId)}?${this.signer.query(fields)}`;
  }

  async createUpload(mediaId: string, declaredSize: number, expiresAt: number): Promise<UploadTarget> {
    this.fileOf(mediaId);
    return { url: this.url({ op: 'put', mediaId, expiresAt, size: declaredSize }), method: 'PUT', headers: { 'content-type': 'application/octet-stream' } };
  }

  async createDownload(mediaId: string, expiresAt: number): Promise<DownloadTarget> {
    this.fileOf(mediaId);
    return { url: this.url({ op: 'get', mediaId, expiresAt }) };
  }

  async stat(mediaId: string): Promise<number | undefined> {
    try {
      return (await stat(this.fileOf(mediaId))).size;
    } catch (error) {
      if (nodeCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(mediaId: string): Promise<void> {
    await rm(this.fileOf(mediaId), { force: true });
  }

  async purgeIncomplete(before: number): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.directory)) {
      if (!name.endsWith(TEMP_SUFFIX)) continue;
      const file = join(this.directory, name);
      try {
        if ((await stat(file)).mtimeMs < before) {
          await rm(file, { force: true });
          removed++;
        }
      } catch (error) {
        if (nodeCode(error) !== 'ENOENT') throw error;
      }
    }
    return removed;
  }

  /** Checks a request's signed query (see ./media-url-signer.ts). */
  verify(op: MediaUrlOperation, mediaId: string, query: Readonly<Record<string, unknown>>, now: number): SignedUrlFields {
    if (!isMediaId(mediaId)) throw new RelayError('RELAY_ERR_MEDIA_URL_INVALID', 'malformed media id');
    return this.signer.verify(op, mediaId, query, now);
  }

  /**
   * Stores exactly `declaredSize` bytes from `body`. `contentLength` (the request header, when
   * present) lets a wrong size be refused before any byte is read.
   */
  async write(mediaId: string, declaredSize: number, body: AsyncIterable<Uint8Array>, contentLength?: number): Promise<void> {
    const final = this.fileOf(mediaId);
    if (contentLength !== undefined && contentLength > declaredSize) throw new RelayError('RELAY_ERR_MEDIA_UPLOAD_TOO_LARGE', `${contentLength} > ${declaredSize}`);
    if (contentLength !== undefined && contentLength < declaredSize) throw new RelayError('RELAY_ERR_MEDIA_UPLOAD_INCOMPLETE', `${contentLength} < ${declaredSize}`);
    if ((await this.stat(mediaId)) !== undefined) throw new RelayError('RELAY_ERR_MEDIA_ALREADY_UPLOADED');

    const temp = join(this.directory, `${mediaId}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      let written = 0;
      for await (const chunk of body) {
        written += chunk.length;
        if (written > declaredSize) throw new RelayError('RELAY_ERR_MEDIA_UPLOAD_TOO_LARGE', `more than ${declaredSize} bytes`);
        await handle.write(chunk);
      }
      if (written < declaredSize) throw new RelayError('RELAY_ERR_MEDIA_UPLOAD_INCOMPLETE', `${written} < ${declaredSize}`);
      await handle.sync();
      await handle.close();
      try {
        // link() refuses an existing name, so two racing uploads cannot replace each other.
        await link(temp, final);
      } catch (error) {
        if (nodeCode(error) === 'EEXIST') throw new RelayError('RELAY_ERR_MEDIA_ALREADY_UPLOADED');
        throw error;
      }
      await this.syncDirectory();
    } finally {
      await handle.close().catch(() => undefined);
      // After a successful link this drops the temporary second name; otherwise the partial file.
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Opens a stored object for reading; RELAY_ERR_MEDIA_NOT_FOUND when there is none. */
  async read(mediaId: string): Promise<{ size: number; stream: ReadStream }> {
    const file = this.fileOf(mediaId);
    const handle = await open(file, 'r').catch((error: unknown) => {
      if (nodeCode(error) === 'ENOENT') throw new RelayError('RELAY_ERR_MEDIA_NOT_FOUND');
      throw error;
    });
    // Size from the open handle, so a concurrent delete cannot make the length wrong.
    const { size } = await handle.stat();
    return { size, stream: handle.createReadStream() };
  }

  /** fsync of the folder makes the new directory entry (the rename/link) durable. */
  private async syncDirectory(): Promise<void> {
    const dir = await open(this.directory, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
