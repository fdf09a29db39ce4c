import Link from 'next/link';

interface StatCardProps {
  label: string;
  value: string;
  detail?: React.ReactNode;
  href?: string;
  tone?: 'default' | 'warning' | 'danger';
}

const TONE = {
  default: 'border-zinc-200 dark:border-zinc-800',
  warning: 'border-amber-300 dark:border-amber-700',
  danger: 'border-red-300 dark:border-red-800',
};

export function StatCard({ label, value, detail, href, tone = 'default' }: StatCardProps) {
  const body = (
    <>
      <p className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</p>
      <p className="mt-1 text-3xl font-semibold tabular-nums">{value}</p>
      {detail && <div className="mt-1 text-xs text-zinc-500">{detail}</div>}
    </>
  );
  const className = `block rounded-xl border bg-white p-4 shadow-sm dark:bg-zinc-900 ${TONE[tone]}`;
  return href ? (
    <Link href={href} className={`${className} hover:border-zinc-400 dark:hover:border-zinc-600`}>
      {body}
    </Link>
  ) : (
    <div className={className}>{body}</div>
  );
}
