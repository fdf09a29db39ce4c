/** A horizontal bar for a share (0–1); labelled for assistive technology when `label` is given. */
export function ProgressBar({
  fraction,
  label,
  className = 'h-2 w-full',
  tone = 'sky',
}: {
  fraction: number | null;
  label?: string;
  className?: string;
  tone?: 'sky' | 'emerald' | 'amber';
}) {
  const value = fraction === null ? null : Math.round(Math.max(0, Math.min(1, fraction)) * 1000) / 10;
  const fill = tone === 'emerald' ? 'bg-emerald-500' : tone === 'amber' ? 'bg-amber-500' : 'bg-sky-500';
  return (
    <span
      className={`block overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800 ${className}`}
      {...(label
        ? {
            role: 'progressbar',
            'aria-label': label,
            'aria-valuemin': 0,
            'aria-valuemax': 100,
            'aria-valuenow': value ?? undefined,
            'aria-valuetext': value === null ? 'unknown' : `${value}%`,
          }
        : { 'aria-hidden': true })}
    >
      <span
        className={`block h-full rounded-full ${fill} transition-[width] duration-500 ${value === null ? 'w-1/3 animate-pulse' : ''}`}
        style={value === null ? undefined : { width: `${value}%` }}
      />
    </span>
  );
}
