import { platformName } from './platforms';

const COLORS: Record<string, string> = {
  LinkedIn: 'bg-[#0a66c2] text-white',
  X: 'bg-black text-white dark:bg-white dark:text-black',
  YouTube: 'bg-[#ff0000] text-white',
  Reddit: 'bg-[#ff4500] text-white',
  Facebook: 'bg-[#1877f2] text-white',
  Discord: 'bg-[#5865f2] text-white',
};

export function PlatformBadge({ platform }: { platform: string }) {
  const name = platformName(platform);
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${
        COLORS[name] ?? 'bg-zinc-200 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100'
      }`}
    >
      {name}
    </span>
  );
}
