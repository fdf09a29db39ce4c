// Latency recording for the stress scripts: every request's duration per path label, reported as
// count, p50/p95/p99 and max (nearest-rank percentiles over every sample, no sampling).

export interface PathStats {
  path: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted values (ms). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export class LatencyRecorder {
  private readonly samples = new Map<string, number[]>();

  record(path: string, ms: number): void {
    let list = this.samples.get(path);
    if (!list) this.samples.set(path, (list = []));
    list.push(ms);
  }

  stats(): PathStats[] {
    return [...this.samples.entries()].map(([path, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        path,
        count: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1] ?? Number.NaN,
      };
    });
  }
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value < 10 ? value.toFixed(1) : value.toFixed(0));

/** A fixed-width table: path, requests, p50, p95, p99, max (ms). */
export function formatStats(stats: readonly PathStats[]): string {
  const header = ['path', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
  const rows = stats.map((s) => [s.path, String(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
