import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { readDbConfig } from '@/db/config';
import type { KnownDomain } from '@/lib/ingest/domains';
import { nowIso } from '@/lib/time/format';
import { type CreateUploadInput, STORED_UPLOAD_NAME, UPLOAD_ID } from './validations';

// Browser uploads of JSONL files, stored in a folder the console owns and then ingested like any other
// file. The bytes arrive in chunks of at most UPLOAD_CHUNK_BYTES (each its own request, appended in
// order at a checked offset): memory stays flat, no proxy in front of the route has to buffer a whole
// file, and a failed chunk can be sent again. A finished upload is linked to its final name, which
// never replaces an existing file; the name is the server's own (timestamp + sanitised original), so
// no part of a client-given name can point outside the folder.

export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
/** Unfinished uploads older than this are removed when a new one starts. */
const STALE_PARTIAL_MS = 24 * 60 * 60 * 1000;
const PARTIAL_DIR = '.partial';

export class UploadError extends Error {
  override name = 'UploadError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** FOUNDUPS_UPLOAD_MAX_BYTES, or 512 MiB. */
export function maxUploadBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.FOUNDUPS_UPLOAD_MAX_BYTES?.trim();
  if (raw && /^\d{1,15}$/.test(raw) && Number(raw) > 0) return Number(raw);
  return DEFAULT_MAX_UPLOAD_BYTES;
}

/**
 * Where uploads are kept: FOUNDUPS_UPLOAD_DIR, else an `uploads` folder beside the SQLite database
 * (data/uploads by default), else data/uploads under the working directory (PostgreSQL).
 */
export function uploadDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): string {
  const configured = env.FOUNDUPS_UPLOAD_DIR?.trim();
  let dir: string;
  if (configured) {
    dir = path.resolve(/*turbopackIgnore: true*/ cwd, configured);
  } else {
    let config: ReturnType<typeof readDbConfig> | null = null;
    try {
      config = readDbConfig(env as NodeJS.ProcessEnv);
    } catch {
      // A broken DATABASE_URL is reported elsewhere; uploads still have a home.
    }
    dir =
      config?.dialect === 'sqlite'
        ? path.join(/*turbopackIgnore: true*/ path.dirname(config.path), 'uploads')
        : path.resolve(/*turbopackIgnore: true*/ cwd, 'data', 'uploads');
  }
  // The real path, as ingest records files by theirs (so an upload's status is found behind a symlink).
  try {
    return fs.realpathSync(/*turbopackIgnore: true*/ dir);
  } catch {
    return dir;
  }
}

export function formatLimit(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MB` : `${bytes} bytes`;
}

/**
 * A file name safe to store: the last path segment only (either slash), letters, digits, dot, dash
 * and underscore (anything else becomes _), no leading dot, at most 100 characters, ending in .jsonl.
 */
export function safeUploadName(original: string): string {
  const last = original.split(/[\\/]/).pop() ?? '';
  const base = last
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\.(jsonl|ndjson)$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+/, '')
    .replace(/[._-]+$/, '')
    .slice(0, 100);
  return `${base || 'upload'}.jsonl`;
}

/** `<UTC timestamp to the millisecond>-<safe name>`, e.g. 20261122T024958123Z-chat_log.jsonl. */
export function storedUploadName(original: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${safeUploadName(original)}`;
}

interface UploadMeta {
  id: string;
  originalName: string;
  size: number;
  domain: KnownDomain | null;
  finalize: boolean;
  createdBy: string;
  createdAt: string;
}

function partialPaths(dir: string, id: string) {
  if (!UPLOAD_ID.test(id)) throw new UploadError(404, 'not_found', 'There is no upload with that id.');
  const partial = path.join(/*turbopackIgnore: true*/ dir, PARTIAL_DIR);
  return {
    partial,
    data: path.join(/*turbopackIgnore: true*/ partial, `${id}.part`),
    meta: path.join(/*turbopackIgnore: true*/ partial, `${id}.json`),
  };
}

function readMeta(
  dir: string,
  id: string,
  operator: string,
): UploadMeta & { paths: ReturnType<typeof partialPaths> } {
  const paths = partialPaths(dir, id);
  let meta: UploadMeta;
  try {
    meta = JSON.parse(fs.readFileSync(paths.meta, 'utf8')) as UploadMeta;
  } catch {
    throw new UploadError(
      404,
      'not_found',
      'This upload is unknown or was already finished or cancelled; start the upload again.',
    );
  }
  if (meta.createdBy !== operator)
    throw new UploadError(403, 'forbidden', 'This upload was started by another operator.');
  return { ...meta, paths };
}

function removeStalePartials(partial: string, now: number): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(partial);
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(/*turbopackIgnore: true*/ partial, entry);
    try {
      if (now - fs.statSync(full).mtimeMs > STALE_PARTIAL_MS) fs.rmSync(full, { force: true });
    } catch {
      // Another request removed it first.
    }
  }
}

/** Registers an upload: checks the size limit and the free space, creates the empty partial file. */
export function createUpload(
  input: CreateUploadInput,
  operator: string,
  options: { dir?: string; maxBytes?: number; now?: Date } = {},
): { id: string; chunkBytes: number; maxBytes: number } {
  const dir = options.dir ?? uploadDir();
  const maxBytes = options.maxBytes ?? maxUploadBytes();
  if (input.size > maxBytes) {
    throw new UploadError(
      413,
      'payload_too_large',
      `${input.name} is ${formatLimit(input.size)}; uploads are limited to ${formatLimit(maxBytes)}. Ingest larger files on the server with \`npx foundups ingest FILE\`.`,
      { maxBytes },
    );
  }
  const partial = path.join(/*turbopackIgnore: true*/ dir, PARTIAL_DIR);
  try {
    fs.mkdirSync(partial, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new UploadError(
      500,
      'storage',
      `The uploads folder ${dir} cannot be created: ${(error as Error).message}`,
    );
  }
  removeStalePartials(partial, (options.now ?? new Date()).getTime());
  try {
    const stats = fs.statfsSync(dir);
    const free = Number(stats.bavail) * Number(stats.bsize);
    if (free < input.size * 1.05)
      throw new UploadError(
        507,
        'insufficient_storage',
        `The uploads folder has ${formatLimit(free)} free, not enough for ${formatLimit(input.size)}.`,
      );
  } catch (error) {
    if (error instanceof UploadError) throw error;
    // statfs is unavailable on some file systems: the writes themselves will report a full disk.
  }
  const id = crypto.randomUUID();
  const paths = partialPaths(dir, id);
  const meta: UploadMeta = {
    id,
    originalName: input.name,
    size: input.size,
    domain: input.domain ?? null,
    finalize: input.finalize,
    createdBy: operator,
    createdAt: nowIso(options.now),
  };
  fs.writeFileSync(paths.data, '', { flag: 'wx', mode: 0o600 });
  fs.writeFileSync(paths.meta, JSON.stringify(meta), { flag: 'wx', mode: 0o600 });
  return { id, chunkBytes: UPLOAD_CHUNK_BYTES, maxBytes };
}

const globalForUploads = globalThis as typeof globalThis & { __foundupsUploadLocks?: Set<string> };
/** Uploads with a chunk being written right now (one at a time per upload). */
const writing = (globalForUploads.__foundupsUploadLocks ??= new Set());

/**
 * Appends one chunk at `offset`, which must be where the partial file ends (a resent chunk that was
 * already stored is refused with the offset to continue from). A chunk that arrives short or too
 * long is cut off again, so the partial file only ever holds whole chunks.
 */
export async function appendUploadChunk(
  id: string,
  offset: number,
  declaredLength: number | null,
  body: AsyncIterable<Uint8Array> | null,
  operator: string,
  options: { dir?: string } = {},
): Promise<{ received: number; size: number }> {
  const dir = options.dir ?? uploadDir();
  const meta = readMeta(dir, id, operator);
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new UploadError(400, 'validation', 'The chunk needs its offset (?offset=N, in bytes).');
  if (declaredLength === null)
    throw new UploadError(411, 'length_required', 'Send each chunk with its Content-Length.');
  if (declaredLength < 1 || declaredLength > UPLOAD_CHUNK_BYTES)
    throw new UploadError(
      413,
      'payload_too_large',
      `A chunk must hold between 1 byte and ${formatLimit(UPLOAD_CHUNK_BYTES)}.`,
    );
  if (offset + declaredLength > meta.size)
    throw new UploadError(
      400,
      'validation',
      `This chunk would end at byte ${offset + declaredLength}, past the ${meta.size} bytes announced.`,
    );
  if (writing.has(id))
    throw new UploadError(
      409,
      'conflict',
      'Another chunk of this upload is being written; send one at a time.',
    );
  writing.add(id);
  let handle: fsp.FileHandle | null = null;
  try {
    handle = await fsp.open(meta.paths.data, 'r+');
    const current = (await handle.stat()).size;
    if (offset !== current)
      throw new UploadError(
        409,
        'conflict',
        `The upload has ${current} bytes so far; send the chunk that starts there.`,
        { expectedOffset: current },
      );
    let written = 0;
    let failure: UploadError | null = null;
    if (body) {
      for await (const chunk of body) {
        if (written + chunk.byteLength > declaredLength) {
          failure = new UploadError(400, 'validation', 'The chunk is longer than its Content-Length.');
          break;
        }
        await handle.write(chunk, 0, chunk.byteLength, offset + written);
        written += chunk.byteLength;
      }
    }
    if (!failure && written !== declaredLength)
      failure = new UploadError(
        400,
        'incomplete',
        `Only ${written} of the chunk's ${declaredLength} bytes arrived; send it again.`,
        { expectedOffset: offset },
      );
    if (failure) {
      await handle.truncate(offset);
      throw failure;
    }
    await fsp.utimes(meta.paths.meta, new Date(), new Date()).catch(() => undefined);
    return { received: offset + written, size: meta.size };
  } catch (error) {
    if (error instanceof UploadError) throw error;
    // A full disk or similar: keep the partial file as it was before this chunk.
    await handle?.truncate(offset).catch(() => undefined);
    throw new UploadError(500, 'storage', `The chunk could not be stored: ${(error as Error).message}`);
  } finally {
    await handle?.close().catch(() => undefined);
    writing.delete(id);
  }
}

export interface StoredUpload {
  name: string;
  path: string;
  size: number;
  originalName: string;
  domain: KnownDomain | null;
  finalize: boolean;
}

/** Checks every byte arrived, then gives the file its final name (never replacing a file). */
export function completeUpload(
  id: string,
  operator: string,
  options: { dir?: string; now?: Date } = {},
): StoredUpload {
  const dir = options.dir ?? uploadDir();
  const meta = readMeta(dir, id, operator);
  if (writing.has(id))
    throw new UploadError(409, 'conflict', 'A chunk of this upload is still being written.');
  const size = fs.statSync(meta.paths.data).size;
  if (size !== meta.size)
    throw new UploadError(
      409,
      'incomplete',
      `Only ${size} of ${meta.size} bytes have arrived; send the rest before finishing.`,
      { expectedOffset: size },
    );
  const name = storedUploadName(meta.originalName, options.now);
  for (let attempt = 1; attempt <= 100; attempt++) {
    const candidate = attempt === 1 ? name : name.replace(/\.jsonl$/, `-${attempt}.jsonl`);
    const target = path.join(/*turbopackIgnore: true*/ dir, candidate);
    try {
      // link() fails when the name exists: a finished upload never overwrites another file.
      fs.linkSync(meta.paths.data, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new UploadError(500, 'storage', `The upload could not be stored: ${(error as Error).message}`);
    }
    fs.rmSync(meta.paths.data, { force: true });
    fs.rmSync(meta.paths.meta, { force: true });
    return {
      name: candidate,
      path: target,
      size,
      originalName: meta.originalName,
      domain: meta.domain,
      finalize: meta.finalize,
    };
  }
  throw new UploadError(500, 'storage', 'No free file name was found for this upload.');
}

/** Drops an unfinished upload. */
export function cancelUpload(id: string, operator: string, options: { dir?: string } = {}): void {
  const dir = options.dir ?? uploadDir();
  const meta = readMeta(dir, id, operator);
  fs.rmSync(meta.paths.data, { force: true });
  fs.rmSync(meta.paths.meta, { force: true });
}

export interface UploadedFile {
  name: string;
  path: string;
  size: number;
  modifiedAt: string;
}

/** Finished uploads, newest first (only names the console gave; anything else in the folder is ignored). */
export function listUploads(dir: string = uploadDir()): UploadedFile[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: UploadedFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !STORED_UPLOAD_NAME.test(entry.name)) continue;
    const full = path.join(/*turbopackIgnore: true*/ dir, entry.name);
    try {
      const stat = fs.statSync(full);
      files.push({ name: entry.name, path: full, size: stat.size, modifiedAt: stat.mtime.toISOString() });
    } catch {
      // Removed meanwhile.
    }
  }
  return files.sort((a, b) => b.name.localeCompare(a.name));
}

/** The stored upload a name refers to, or null: only exact stored names inside the folder. */
export function resolveUpload(name: string, dir: string = uploadDir()): string | null {
  if (!STORED_UPLOAD_NAME.test(name)) return null;
  const full = path.join(/*turbopackIgnore: true*/ dir, name);
  if (path.dirname(full) !== path.resolve(/*turbopackIgnore: true*/ dir)) return null;
  try {
    const stat = fs.lstatSync(full);
    return stat.isFile() ? full : null;
  } catch {
    return null;
  }
}
