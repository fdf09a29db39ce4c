import { isUtf8 } from 'node:buffer';
import crypto from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

// A byte-exact line reader for append-only JSONL files. It reads [start, end) of an open file in
// chunks, never decodes across a line boundary, and reports each line with its byte offset, so a
// checkpoint (the offset after the last committed line) lets the next run seek straight back.
// Memory stays bounded by the chunk size plus the longest line it agrees to hold (maxLineBytes);
// a longer line is streamed past and reported by its start, length, hash and first bytes only.

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** How much of an over-long line a reject keeps for the operator to look at. */
export const OVERLONG_PREFIX_BYTES = 64 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;

export interface RawLine {
  /** 1-based line number in the file. */
  lineNo: number;
  /** Byte offset of the line's first byte (before any BOM). */
  offset: number;
  /** Bytes the line occupies, terminator included. */
  byteLength: number;
  /** The buffer holding the line; `start`/`end` delimit its content (BOM and CR/LF excluded). */
  buf: Buffer;
  start: number;
  end: number;
  /** Where the line's bytes (terminator included) begin in `buf`. */
  rawStart: number;
  /** False only for a last line that has no newline yet (a writer may still be writing it). */
  terminated: boolean;
  crlf: boolean;
  /** A UTF-8 byte-order mark was stripped from the start of the line. */
  bom: boolean;
  /** The content is valid UTF-8. */
  utf8: boolean;
  /** Set when the line exceeded maxLineBytes: `buf` then holds only its first bytes. */
  overlong?: { contentLength: number; hash: string };
}

export interface ReadOptions {
  /** Byte offset to start at: a line start (0 or a checkpoint). */
  start: number;
  /** Byte offset to stop at (the size seen when the run began); bytes appended later wait for the next run. */
  end: number;
  /** Line number of the first line read (checkpoint's lines + 1). */
  firstLineNo: number;
  chunkBytes?: number;
  maxLineBytes?: number;
}

/** sha1 of a line's content, cut to 16 hex digits: a fingerprint, not a security measure. */
export function contentHash(buf: Buffer, start = 0, end = buf.length): string {
  return crypto.hash('sha1', buf.subarray(start, end), 'hex').slice(0, 16);
}

/**
 * How the ledger fingerprints a line's content (the bytes between BOM and line terminator), as an
 * integer below 2^53 so it is exact as a JS number, an SQLite INTEGER and a PostgreSQL BIGINT.
 * - `cyrb53`: a fast non-cryptographic 53-bit hash computed in JS (two 32-bit multiply lanes,
 *   bryc's cyrb53 over bytes). What new files use: no native call per line.
 * - `sha1-52`: the first 52 bits of sha1, which is what ledgers written before migration 0007 hold
 *   (their 16-hex-digit sha1 prefix, converted in place); files ingested then keep it.
 * A fingerprint to notice a line that changed, not a security measure.
 */
export const LINE_HASHES = ['cyrb53', 'sha1-52'] as const;
export type LineHashKind = (typeof LINE_HASHES)[number];
export const DEFAULT_LINE_HASH: LineHashKind = 'cyrb53';

export function cyrb53(buf: Uint8Array, start = 0, end = buf.length): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    h1 = Math.imul(h1 ^ byte, 2654435761);
    h2 = Math.imul(h2 ^ byte, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function sha1Prefix52(buf: Buffer, start = 0, end = buf.length): number {
  return Number.parseInt(crypto.hash('sha1', buf.subarray(start, end), 'hex').slice(0, 13), 16);
}

export type LineHasher = (buf: Buffer, start: number, end: number) => number;

export function lineHasher(kind: string): LineHasher {
  if (kind === 'cyrb53') return cyrb53;
  if (kind === 'sha1-52') return sha1Prefix52;
  throw new Error(`Unknown line hash "${kind}" (known: ${LINE_HASHES.join(', ')}).`);
}

function hasBom(buf: Buffer, at: number, end: number): boolean {
  return end - at >= 3 && buf[at] === 0xef && buf[at + 1] === 0xbb && buf[at + 2] === 0xbf;
}

function makeLine(
  buf: Buffer,
  rawStart: number,
  contentEnd: number,
  offset: number,
  lineNo: number,
  terminated: boolean,
  utf8Checked: boolean,
): RawLine {
  let end = contentEnd;
  let crlf = false;
  if (terminated && end > rawStart && buf[end - 1] === CR) {
    end -= 1;
    crlf = true;
  }
  const bom = hasBom(buf, rawStart, end);
  const start = bom ? rawStart + 3 : rawStart;
  return {
    lineNo,
    offset,
    byteLength: (terminated ? contentEnd + 1 : contentEnd) - rawStart,
    buf,
    start,
    end,
    rawStart,
    terminated,
    crlf,
    bom,
    utf8: utf8Checked || isUtf8(buf.subarray(start, end)),
  };
}

/**
 * Lines of [start, end) in batches (one per chunk read). Each batch's lines reference one buffer, so
 * a batch should be processed before asking for the next. Opened read-only by the caller.
 */
export async function* readLineBatches(handle: FileHandle, options: ReadOptions): AsyncGenerator<RawLine[]> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let position = options.start;
  let lineNo = options.firstLineNo;
  /** Bytes of an unfinished line carried into the next chunk, and where they start in the file. */
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = position;
  /** State while streaming past an over-long line. */
  let skipping: { offset: number; prefix: Buffer; length: number; hash: crypto.Hash; bomAt: boolean } | null =
    null;

  while (position < options.end) {
    const want = Math.min(chunkBytes, options.end - position);
    const fresh = Buffer.allocUnsafe(want);
    const { bytesRead } = await handle.read(fresh, 0, want, position);
    if (bytesRead === 0) break; // the file shrank under us: stop; the engine's checks will notice
    position += bytesRead;
    const data = fresh.subarray(0, bytesRead);
    const lines: RawLine[] = [];

    if (skipping) {
      const newline = data.indexOf(NEWLINE);
      const upto = newline < 0 ? data.length : newline;
      skipping.hash.update(data.subarray(0, upto));
      skipping.length += upto;
      if (newline < 0) continue;
      lines.push(overlongLine(skipping, lineNo++, true));
      skipping = null;
      carry = Buffer.from(data.subarray(newline + 1));
      carryOffset = position - carry.length;
    } else {
      carry = carry.length ? Buffer.concat([carry, data]) : data;
    }

    const buf = carry;
    const lastNewline = buf.lastIndexOf(NEWLINE);
    if (lastNewline >= 0) {
      // One native check for the whole run of complete lines; lines are checked one by one only when it fails.
      const allValid = isUtf8(buf.subarray(0, lastNewline));
      let at = 0;
      while (at <= lastNewline) {
        const newline = buf.indexOf(NEWLINE, at);
        lines.push(makeLine(buf, at, newline, carryOffset + at, lineNo++, true, allValid));
        at = newline + 1;
      }
      carry = buf.subarray(lastNewline + 1);
      carryOffset += lastNewline + 1;
    }
    if (carry.length > maxLineBytes) {
      // Too long to hold: keep its start for the reject, hash the rest as it streams by.
      const hash = crypto.createHash('sha1');
      const bomAt = hasBom(carry, 0, carry.length);
      hash.update(carry.subarray(bomAt ? 3 : 0));
      skipping = {
        offset: carryOffset,
        prefix: Buffer.from(carry.subarray(0, OVERLONG_PREFIX_BYTES)),
        length: carry.length,
        hash,
        bomAt,
      };
      carry = Buffer.alloc(0);
    } else if (carry.length > 0 && carry.buffer === fresh.buffer) {
      // Do not pin the whole chunk for a few carried bytes.
      carry = Buffer.from(carry);
    }
    if (lines.length > 0) yield lines;
  }

  if (skipping) {
    yield [overlongLine(skipping, lineNo, false)];
  } else if (carry.length > 0) {
    yield [makeLine(carry, 0, carry.length, carryOffset, lineNo, false, false)];
  }
}

function overlongLine(
  state: { offset: number; prefix: Buffer; length: number; hash: crypto.Hash; bomAt: boolean },
  lineNo: number,
  terminated: boolean,
): RawLine {
  const crlf = false;
  const contentLength = state.length - (state.bomAt ? 3 : 0);
  return {
    lineNo,
    offset: state.offset,
    byteLength: state.length + (terminated ? 1 : 0),
    buf: state.prefix,
    start: state.bomAt ? 3 : 0,
    end: state.prefix.length,
    rawStart: 0,
    terminated,
    crlf,
    bom: state.bomAt,
    utf8: false,
    overlong: { contentLength, hash: state.hash.digest('hex').slice(0, 16) },
  };
}

/** sha1 (16 hex digits) of bytes [start, start + length) of an open file. */
export async function hashFileRange(handle: FileHandle, start: number, length: number): Promise<string> {
  const hash = crypto.createHash('sha1');
  const buf = Buffer.allocUnsafe(Math.min(length, DEFAULT_CHUNK_BYTES));
  let done = 0;
  while (done < length) {
    const want = Math.min(buf.length, length - done);
    const { bytesRead } = await handle.read(buf, 0, want, start + done);
    if (bytesRead === 0) break;
    hash.update(buf.subarray(0, bytesRead));
    done += bytesRead;
  }
  return `${done}:${hash.digest('hex').slice(0, 16)}`;
}
