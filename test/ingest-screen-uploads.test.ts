import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  UPLOAD_CHUNK_BYTES,
  UploadError,
  appendUploadChunk,
  cancelUpload,
  completeUpload,
  createUpload,
  listUploads,
  maxUploadBytes,
  resolveUpload,
  uploadDir,
} from '@/app/api/ingest/_lib/uploads';
import { createUploadSchema } from '@/app/api/ingest/_lib/validations';
import { tempDir } from './support/databases';

// Browser uploads on disk: announced with a size checked against the limit, sent in chunks appended at
// checked offsets (a short, long or repeated chunk never corrupts the file), finished under a name of
// the console's own that never replaces a file, and looked up only by exact stored names.

const OPERATOR = 'admin1';
const NOW = new Date('2026-11-22T02:49:58.123Z');
const CONTENT = Buffer.from(
  '{"metric": "a", "value": 1}\n{"metric": "b", "value": 2}\n{"metric": "c", "value": 3}\n',
);

async function* chunks(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part;
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<UploadError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(UploadError);
    return error as UploadError;
  }
  throw new Error('expected an UploadError');
}

let dir: string;
beforeEach(() => {
  dir = tempDir('foundups-uploads-');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function announce(size = CONTENT.length, name = 'metrics.jsonl') {
  return createUpload(createUploadSchema.parse({ name, size }), OPERATOR, { dir, now: NOW });
}

describe('upload storage', () => {
  it('stores a file sent in chunks, byte for byte, and finishes it under its own name', async () => {
    const { id, chunkBytes } = announce();
    expect(chunkBytes).toBe(UPLOAD_CHUNK_BYTES);
    const first = CONTENT.subarray(0, 20);
    const rest = CONTENT.subarray(20);
    expect(await appendUploadChunk(id, 0, first.length, chunks(first), OPERATOR, { dir })).toEqual({
      received: 20,
      size: CONTENT.length,
    });
    // The same chunk again (its answer was lost): refused with where to continue, nothing appended twice.
    const repeated = await refusal(appendUploadChunk(id, 0, first.length, chunks(first), OPERATOR, { dir }));
    expect(repeated.status).toBe(409);
    expect(repeated.extra.expectedOffset).toBe(20);
    await appendUploadChunk(id, 20, rest.length, chunks(rest.subarray(0, 5), rest.subarray(5)), OPERATOR, {
      dir,
    });
    const stored = completeUpload(id, OPERATOR, { dir, now: NOW });
    expect(stored.name).toBe('20261122T024958123Z-metrics.jsonl');
    expect(path.dirname(stored.path)).toBe(dir);
    expect(fs.readFileSync(stored.path).equals(CONTENT)).toBe(true);
    expect(stored).toMatchObject({ size: CONTENT.length, originalName: 'metrics.jsonl', finalize: true });
    // Nothing of the upload in progress is left behind.
    expect(fs.readdirSync(path.join(dir, '.partial'))).toEqual([]);
    expect(listUploads(dir).map((upload) => upload.name)).toEqual([stored.name]);
    expect(resolveUpload(stored.name, dir)).toBe(stored.path);
  });

  it('never overwrites: a taken name gets a suffix and the existing file keeps its bytes', async () => {
    fs.writeFileSync(path.join(dir, '20261122T024958123Z-metrics.jsonl'), 'earlier upload\n');
    const { id } = announce();
    await appendUploadChunk(id, 0, CONTENT.length, chunks(CONTENT), OPERATOR, { dir });
    const stored = completeUpload(id, OPERATOR, { dir, now: NOW });
    expect(stored.name).toBe('20261122T024958123Z-metrics-2.jsonl');
    expect(fs.readFileSync(path.join(dir, '20261122T024958123Z-metrics.jsonl'), 'utf8')).toBe(
      'earlier upload\n',
    );
  });

  it('cuts off a chunk that arrives short or long, so the partial file only holds whole chunks', async () => {
    const { id } = announce();
    const short = await refusal(
      appendUploadChunk(id, 0, 30, chunks(CONTENT.subarray(0, 10)), OPERATOR, { dir }),
    );
    expect(short).toMatchObject({ status: 400, code: 'incomplete' });
    const long = await refusal(
      appendUploadChunk(id, 0, 5, chunks(CONTENT.subarray(0, 10)), OPERATOR, { dir }),
    );
    expect(long.status).toBe(400);
    expect(fs.statSync(path.join(dir, '.partial', `${id}.part`)).size).toBe(0);
    // Finishing before every byte arrived is refused, with how far it got.
    await appendUploadChunk(id, 0, 10, chunks(CONTENT.subarray(0, 10)), OPERATOR, { dir });
    const early = await refusal(() => completeUpload(id, OPERATOR, { dir }));
    expect(early).toMatchObject({ status: 409, code: 'incomplete' });
    expect(early.message).toContain(`Only 10 of ${CONTENT.length} bytes`);
  });

  it('refuses chunks without a length, too large, past the announced size, or at a wrong offset', async () => {
    const { id } = announce();
    expect((await refusal(appendUploadChunk(id, 0, null, chunks(CONTENT), OPERATOR, { dir }))).status).toBe(
      411,
    );
    expect(
      (await refusal(appendUploadChunk(id, 0, UPLOAD_CHUNK_BYTES + 1, chunks(CONTENT), OPERATOR, { dir })))
        .status,
    ).toBe(413);
    expect(
      (await refusal(appendUploadChunk(id, 0, CONTENT.length + 1, chunks(CONTENT), OPERATOR, { dir })))
        .status,
    ).toBe(400);
    const gap = await refusal(
      appendUploadChunk(id, 5, 5, chunks(CONTENT.subarray(5, 10)), OPERATOR, { dir }),
    );
    expect(gap).toMatchObject({ status: 409, extra: { expectedOffset: 0 } });
    expect((await refusal(appendUploadChunk(id, -1, 5, chunks(CONTENT), OPERATOR, { dir }))).status).toBe(
      400,
    );
  });

  it('keeps uploads to the operator who started them, and knows only ids it made', async () => {
    const { id } = announce();
    expect(
      (await refusal(appendUploadChunk(id, 0, 5, chunks(CONTENT), 'someone-else', { dir }))).status,
    ).toBe(403);
    expect((await refusal(() => cancelUpload(id, 'someone-else', { dir }))).status).toBe(403);
    expect((await refusal(() => completeUpload('../../foundups', OPERATOR, { dir }))).status).toBe(404);
    cancelUpload(id, OPERATOR, { dir });
    expect(fs.readdirSync(path.join(dir, '.partial'))).toEqual([]);
    expect((await refusal(() => completeUpload(id, OPERATOR, { dir }))).status).toBe(404);
  });

  it('refuses files over the limit before any byte is sent, and non-JSONL names', () => {
    const tooBig = (() => {
      try {
        createUpload(createUploadSchema.parse({ name: 'big.jsonl', size: 2048 }), OPERATOR, {
          dir,
          maxBytes: 1024,
        });
      } catch (error) {
        return error as UploadError;
      }
      return null;
    })();
    expect(tooBig).toMatchObject({ status: 413 });
    expect(tooBig?.message).toContain('limited to 1024 bytes');
    expect(createUploadSchema.safeParse({ name: 'foundups.db', size: 10 }).success).toBe(false);
    expect(createUploadSchema.safeParse({ name: 'a.jsonl', size: 0 }).success).toBe(false);
    expect(createUploadSchema.safeParse({ name: 'a.jsonl', size: 10, extra: 1 }).success).toBe(false);
  });

  it('lists and resolves only stored names inside the folder', () => {
    fs.writeFileSync(path.join(dir, '20261122T024958123Z-a.jsonl'), '{}\n');
    fs.writeFileSync(path.join(dir, 'notes.jsonl'), '{}\n');
    fs.mkdirSync(path.join(dir, '20261122T024958124Z-dir.jsonl'));
    expect(listUploads(dir).map((upload) => upload.name)).toEqual(['20261122T024958123Z-a.jsonl']);
    expect(resolveUpload('notes.jsonl', dir)).toBeNull();
    expect(resolveUpload('20261122T024958124Z-dir.jsonl', dir)).toBeNull();
    expect(resolveUpload('../20261122T024958123Z-a.jsonl', dir)).toBeNull();
    expect(listUploads(path.join(dir, 'missing'))).toEqual([]);
  });

  it('places the folder from the environment', () => {
    expect(uploadDir({ FOUNDUPS_UPLOAD_DIR: 'up' }, '/srv/console')).toBe(path.resolve('/srv/console/up'));
    expect(uploadDir({ FOUNDUPS_DB_PATH: '/var/lib/foundups/foundups.db' }, '/srv/console')).toBe(
      path.resolve('/var/lib/foundups/uploads'),
    );
    expect(uploadDir({ DATABASE_URL: 'postgres://u@db:5432/foundups' }, '/srv/console')).toBe(
      path.resolve('/srv/console/data/uploads'),
    );
    expect(maxUploadBytes({ FOUNDUPS_UPLOAD_MAX_BYTES: '1000' })).toBe(1000);
    expect(maxUploadBytes({ FOUNDUPS_UPLOAD_MAX_BYTES: 'lots' })).toBe(512 * 1024 * 1024);
  });
});
