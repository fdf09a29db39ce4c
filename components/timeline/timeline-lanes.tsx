'use client';

import { useRef, useState } from 'react';
import { useRangeZoom } from '@/components/charts/use-range-zoom';
import type { Lane } from '@/lib/timeline/queries';
import { formatUtc } from './timeline-params';

const SEVERITY_FILL: Record<string, string> = {
  debug: '#a1a1aa',
  info: '#0ea5e9',
  warning: '#f59e0b',
  error: '#dc2626',
  critical: '#7f1d1d',
};
const ROW = 26;
const STATE_ROW = 14;
const WIDTH = 1000;

function stateFill(status: string): string {
  const lower = status.toLowerCase();
  if (/(ok|run|healthy|alive|up|active)/.test(lower)) return '#22c55e';
  if (/(warn|degrad|slow)/.test(lower)) return '#f59e0b';
  if (/(err|fail|down|dead|crash)/.test(lower)) return '#dc2626';
  return '#64748b';
}

function laneHeight(lane: Lane): number {
  if (lane.kind === 'state' && lane.states && lane.states.length > 0)
    return lane.states.length * STATE_ROW + 8;
  return ROW;
}

/**
 * One lane per source over the range: event ticks per bucket coloured by their worst severity, spans as
 * bars, heartbeats as a state strip per daemon with gaps hatched in red. Dragging across the lanes
 * selects a range and zooms to it (the URL's from/to).
 */
export function TimelineLanes({
  lanes,
  bucketMs,
  from,
  to,
  now,
}: {
  lanes: Lane[];
  bucketMs: number;
  from: string;
  to: string;
  now: string;
}) {
  const zoom = useRangeZoom();
  const start = new Date(from).getTime();
  const end = new Date(to).getTime();
  const span = Math.max(1, end - start);
  const x = (iso: string | number) => ((new Date(iso).getTime() - start) / span) * WIDTH;
  const clampX = (value: number) => Math.max(0, Math.min(WIDTH, value));
  const trackRef = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const fraction = (clientX: number) => {
    const box = trackRef.current?.getBoundingClientRect();
    if (!box || box.width === 0) return 0;
    return Math.max(0, Math.min(1, (clientX - box.left) / box.width));
  };
  const total = lanes.reduce((sum, lane) => sum + lane.buckets.reduce((s, b) => s + b.count, 0), 0);
  const maxCount = Math.max(1, ...lanes.flatMap((lane) => lane.buckets.map((bucket) => bucket.count)));
  const nowX = x(now);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => new Date(start + f * span).toISOString());

  return (
    <section
      aria-label="Lanes"
      className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">Lanes</h2>
        <p className="text-xs text-zinc-500">
          {total.toLocaleString('en')} events ·{' '}
          {bucketMs >= 86_400_000
            ? '1-day'
            : bucketMs >= 3_600_000
              ? '1-hour'
              : `${bucketMs / 60_000}-minute`}{' '}
          buckets · drag across the lanes to zoom
        </p>
      </div>
      {lanes.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-zinc-500">
          No event source table exists in this database.
        </p>
      ) : (
        <div className="flex gap-2 px-4 py-3">
          <div className="w-36 shrink-0 text-xs">
            {lanes.map((lane) => (
              <div
                key={lane.source}
                style={{ height: laneHeight(lane) }}
                className="flex flex-col justify-center border-b border-zinc-100 dark:border-zinc-800"
              >
                <span className="truncate font-medium">{lane.label}</span>
                {lane.kind === 'state' &&
                  lane.states?.map((state) => (
                    <span key={state.actor} className="truncate text-[10px] leading-[14px] text-zinc-500">
                      {state.actor}
                    </span>
                  ))}
              </div>
            ))}
          </div>
          <div className="min-w-0 flex-1">
            <div
              ref={trackRef}
              data-testid="timeline-lanes-track"
              className="relative cursor-crosshair touch-none select-none"
              onPointerDown={(event) => {
                event.currentTarget.setPointerCapture(event.pointerId);
                const f = fraction(event.clientX);
                setDrag({ a: f, b: f });
              }}
              onPointerMove={(event) => {
                if (drag) setDrag({ ...drag, b: fraction(event.clientX) });
              }}
              onPointerUp={(event) => {
                if (!drag) return;
                const b = fraction(event.clientX);
                setDrag(null);
                if (Math.abs(b - drag.a) < 0.01) return; // a click, not a selection
                zoom(start + drag.a * span, start + b * span);
              }}
              onPointerCancel={() => setDrag(null)}
            >
              {lanes.map((lane) => {
                const height = laneHeight(lane);
                return (
                  <svg
                    key={lane.source}
                    data-lane={lane.source}
                    role="img"
                    aria-label={`${lane.label}: ${lane.buckets.reduce((s, b) => s + b.count, 0)} events`}
                    viewBox={`0 0 ${WIDTH} ${height}`}
                    preserveAspectRatio="none"
                    className="block w-full border-b border-zinc-100 dark:border-zinc-800"
                    style={{ height }}
                  >
                    {lane.kind !== 'state' &&
                      lane.buckets.map((bucket) => {
                        if (bucket.count === 0) return null;
                        const h = 4 + (Math.log1p(bucket.count) / Math.log1p(maxCount)) * (ROW - 8);
                        const left = clampX(x(bucket.start));
                        const right = clampX(x(new Date(bucket.start).getTime() + bucketMs));
                        return (
                          <rect
                            key={bucket.start}
                            x={left}
                            width={Math.max(1.5, right - left - 0.5)}
                            y={(ROW - h) / 2}
                            height={h}
                            fill={SEVERITY_FILL[bucket.severity ?? 'info'] ?? SEVERITY_FILL.info}
                            opacity={0.85}
                          >
                            <title>{`${formatUtc(bucket.start)} UTC: ${bucket.count} events (worst: ${bucket.severity ?? 'info'})`}</title>
                          </rect>
                        );
                      })}
                    {lane.spans?.map((spanItem, index) => {
                      const left = clampX(x(spanItem.start));
                      const right = clampX(x(spanItem.end ?? now));
                      return (
                        <rect
                          key={`${spanItem.start}-${index}`}
                          x={left}
                          width={Math.max(2, right - left)}
                          y={ROW - 7}
                          height={5}
                          fill="#6366f1"
                          opacity={0.7}
                        >
                          <title>{`${formatUtc(spanItem.start)} – ${spanItem.end ? formatUtc(spanItem.end) : 'open'} UTC (${spanItem.events} events)`}</title>
                        </rect>
                      );
                    })}
                    {lane.kind === 'state' &&
                      lane.states?.map((state, row) => (
                        <g key={state.actor} transform={`translate(0 ${4 + row * STATE_ROW})`}>
                          {state.segments.map((segment) => {
                            const left = clampX(x(segment.start));
                            const right = clampX(x(segment.end));
                            return (
                              <rect
                                key={segment.start}
                                x={left}
                                width={Math.max(1.5, right - left)}
                                y={2}
                                height={STATE_ROW - 4}
                                fill={stateFill(segment.status)}
                              >
                                <title>{`${state.actor}: ${segment.status || '(no status)'} ${formatUtc(segment.start)} – ${formatUtc(segment.end)} UTC`}</title>
                              </rect>
                            );
                          })}
                          {state.gaps.map((gap) => {
                            const left = clampX(x(gap.start));
                            const right = clampX(x(gap.end));
                            return (
                              <rect
                                key={`gap-${gap.start}`}
                                data-gap=""
                                x={left}
                                width={Math.max(1.5, right - left)}
                                y={2}
                                height={STATE_ROW - 4}
                                fill="#fecaca"
                                stroke="#dc2626"
                                strokeWidth={0.5}
                                strokeDasharray="3 2"
                              >
                                <title>{`${state.actor}: silent ${formatUtc(gap.start)} – ${formatUtc(gap.end)} UTC${gap.ongoing ? ' (still silent)' : ''}`}</title>
                              </rect>
                            );
                          })}
                        </g>
                      ))}
                    {nowX > 0 && nowX < WIDTH && (
                      <line x1={nowX} x2={nowX} y1={0} y2={height} stroke="#71717a" strokeDasharray="2 2" />
                    )}
                  </svg>
                );
              })}
              {total === 0 && (
                <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-zinc-500">
                  No events in this range.
                </p>
              )}
              {drag && (
                <div
                  aria-hidden
                  className="pointer-events-none absolute inset-y-0 bg-sky-500/20 ring-1 ring-sky-500"
                  style={{
                    left: `${Math.min(drag.a, drag.b) * 100}%`,
                    width: `${Math.abs(drag.b - drag.a) * 100}%`,
                  }}
                />
              )}
            </div>
            <div className="relative mt-1 h-4 text-[10px] text-zinc-500">
              {ticks.map((tick, index) => (
                <span
                  key={tick}
                  className="absolute whitespace-nowrap"
                  style={{
                    left: `${index * 25}%`,
                    transform: index === 0 ? 'none' : index === 4 ? 'translateX(-100%)' : 'translateX(-50%)',
                  }}
                >
                  {formatUtc(tick)}
                </span>
              ))}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
