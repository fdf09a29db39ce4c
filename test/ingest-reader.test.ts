import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RawLine, contentHash, hashFileRange, readLineBatches } from '@/lib/ingest/reader';
import { tempDir } from './support/databases';

// The byte-exact line reader: offsets, terminators, BOM, invalid UTF-8, partial and over-long lines,
// whatever the chunk boundaries.

const dir = tempDir('foundups-reader-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readAll(
  bytes: Buffer,
  options: {
    start?: number;
    end?: number;
    chunkBytes?: number;
    maxLineBytes?: number;
    firstLineNo?: number;
  } = {},
) {
  const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}.jsonl`);
  fs.writeFileSync(file, bytes);
  const handle = await fsp.open(file, 'r');
  const lines: (Omit<RawLine, 'buf'> & { text: string })[] = [];
  try {
    for await (const batch of readLineBatches(handle, {
      start: options.start ?? 0,
      end: options.end ?? bytes.length,
      firstLineNo: options.firstLineNo ?? 1,
      chunkBytes: options.chunkBytes,
      maxLineBytes: options.maxLineBytes,
    })) {
      for (const { buf, ...line } of batch)
        lines.push({ ...line, text: buf.toString('utf8', line.start, line.end) });
    }
  } finally {
    await handle.close();
  }
  return lines;
}

const SAMPLE = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from('{"a": 1}\r\n\n  \n{"b": "é"}\n{"c": "'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('"}\n{"partial": tr'),
]);

describe('readLineBatches', () => {
  for (const chunkBytes of [1, 3, 7, 64, 4096]) {
    it(`splits lines with exact offsets and lengths (chunks of ${chunkBytes} bytes)`, async () => {
      const lines = await readAll(SAMPLE, { chunkBytes });
      expect(
        lines.map((l) => [l.lineNo, l.offset, l.byteLength, l.text, l.terminated, l.crlf, l.bom, l.utf8]),
      ).toEqual([
        [1, 0, 13, '{"a": 1}', true, true, true, true],
        [2, 13, 1, '', true, false, false, true],
        [3, 14, 3, '  ', true, false, false, true],
        [4, 17, 12, '{"b": "é"}', true, false, false, true],
        [5, 29, 12, '{"c": "\uFFFD\uFFFD"}', true, false, false, false],
        [6, 41, 14, '{"partial": tr', false, false, false, true],
      ]);
      // Offsets + lengths tile the file exactly.
      expect(lines.reduce((sum, l) => sum + l.byteLength, 0)).toBe(SAMPLE.length);
    });
  }

  it('starts at a checkpoint with the right line numbers and stops at the given end', async () => {
    const lines = await readAll(SAMPLE, { start: 17, end: 41, firstLineNo: 4, chunkBytes: 5 });
    expect(lines.map((l) => [l.lineNo, l.offset, l.terminated])).toEqual([
      [4, 17, true],
      [5, 29, true],
    ]);
  });

  it('streams past a line over the limit, keeping its start, length and hash, and goes on', async () => {
    const long = `{"x": "${'y'.repeat(5000)}"}`;
    const bytes = Buffer.from(`{"a": 1}\n${long}\n{"b": 2}\n${long}`);
    const lines = await readAll(bytes, { chunkBytes: 256, maxLineBytes: 1024 });
    expect(lines.map((l) => [l.lineNo, l.offset, l.byteLength, l.terminated, Boolean(l.overlong)])).toEqual([
      [1, 0, 9, true, false],
      [2, 9, long.length + 1, true, true],
      [3, 10 + long.length, 9, true, false],
      [4, 19 + long.length, long.length, false, true],
    ]);
    expect(lines[1]!.overlong).toEqual({ contentLength: long.length, hash: contentHash(Buffer.from(long)) });
    expect(lines[1]!.text.length).toBeLessThanOrEqual(64 * 1024);
    expect(long.startsWith(lines[1]!.text)).toBe(true);
  });

  it('reads an empty range as nothing, and a file without a final newline as one partial line', async () => {
    expect(await readAll(Buffer.alloc(0))).toEqual([]);
    const [only] = await readAll(Buffer.from('{"a": 1}'));
    expect(only).toMatchObject({ terminated: false, byteLength: 8, text: '{"a": 1}' });
  });

  it('fingerprints file ranges as length:hash', async () => {
    const file = path.join(dir, 'range.jsonl');
    fs.writeFileSync(file, 'hello world');
    const handle = await fsp.open(file, 'r');
    try {
      expect(await hashFileRange(handle, 6, 5)).toBe(`5:${contentHash(Buffer.from('world'))}`);
      // Past the end: the length actually read is part of the fingerprint, so a shrunk file never matches.
      expect(await hashFileRange(handle, 6, 50)).toBe(`5:${contentHash(Buffer.from('world'))}`);
    } finally {
      await handle.close();
    }
  });
});
