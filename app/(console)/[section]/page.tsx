import { notFound } from 'next/navigation';
import { NAV_ITEMS } from '@/components/shell/nav-items';
import { Panel } from '@/components/ui/panel';
import { requireOperator } from '@/lib/auth/current';

/**
 * Sections listed in the sidebar whose screens are not built yet say so plainly here (no fake
 * content). A built section has its own route folder, which takes precedence over this one.
 */
export default async function UnbuiltSectionPage({ params }: { params: Promise<{ section: string }> }) {
  await requireOperator('viewer');
  const { section } = await params;
  const item = NAV_ITEMS.find((entry) => entry.href === `/${section}` && !entry.ready);
  if (!item) notFound();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{item.label}</h1>
      <Panel title="Not built yet">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The {item.label} screen is not part of this version of the console yet. Nothing on this page is a
          placeholder for real data: when the screen ships, it replaces this notice.
        </p>
      </Panel>
    </div>
  );
}
