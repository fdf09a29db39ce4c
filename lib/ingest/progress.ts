import path from 'node:path';
import type { IngestProgress } from './ingest';

// The CLI's progress display: a bar redrawn in place when stderr is a terminal, plain lines every few
// seconds otherwise (logs, CI), so piping the output never fills a file with carriage returns.

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** One status line: percentage, rows, rows/s, ETA and the file being read. */
export function progressLine(progress: IngestProgress, width = 24): { bar: string; text: string } {
  const share = progress.bytesTotal > 0 ? Math.min(1, progress.bytesDone / progress.bytesTotal) : 1;
  const filled = Math.round(share * width);
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (share >= 1 ? '=' : '>') : ''}${' '.repeat(width - filled)}]`;
  const file = progress.currentFile
    ? ` ${progress.filesDone + 1}/${progress.filesTotal} ${path.basename(progress.currentFile)}`
    : '';
  const text = `${(share * 100).toFixed(1).padStart(5)}% ${count(progress.linesDone)} lines (${count(progress.inserted)} in, ${count(progress.rejected)} rejected) ${count(progress.linesPerSecond)} lines/s ETA ${formatDuration(progress.etaSeconds)}${file}`;
  return { bar, text };
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

/**
 * A progress callback for ingestJsonl. On a terminal it redraws at most every 100 ms; elsewhere it
 * prints a line every `plainEveryMs`. Call `done()` at the end to finish the line.
 */
export function createProgressReporter(
  stream: ProgressStream = process.stderr,
  options: { plainEveryMs?: number; now?: () => number } = {},
) {
  const now = options.now ?? Date.now;
  const plainEveryMs = options.plainEveryMs ?? 5000;
  let last = -Infinity;
  let drawn = false;
  let latest: IngestProgress | null = null;
  let lastDrawn: IngestProgress | null = null;
  const draw = (progress: IngestProgress) => {
    lastDrawn = progress;
    const { bar, text } = progressLine(progress);
    if (stream.isTTY) {
      const columns = stream.columns ?? 100;
      const line = `${bar} ${text}`.slice(0, Math.max(20, columns - 1));
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    } else {
      stream.write(`ingest: ${text}\n`);
    }
  };
  return {
    onProgress(progress: IngestProgress) {
      latest = progress;
      const t = now();
      if (t - last >= (stream.isTTY ? 100 : plainEveryMs)) {
        last = t;
        draw(progress);
      }
    },
    done() {
      // The final state, unless it is already on screen.
      if (latest && latest !== lastDrawn) draw(latest);
      if (drawn) stream.write('\n');
    },
  };
}
