import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { getIngestRun } from '@/lib/ingest/queries';

/**
 * An unknown run answers with a real 404 status: the check runs here, above this segment's loading.tsx
 * (a Suspense boundary whose fallback would otherwise have started the response as 200). The "No such
 * run" page is ingest/runs/not-found.tsx, the boundary above this layout. Non-admins pass through to
 * the page, which tells them the screen is for admins (whether or not the run exists).
 */
export default async function IngestRunLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ id: string }>;
}) {
  const operator = await requireOperator('viewer');
  if (operator.role !== 'admin') return children;
  const { id } = await params;
  const runId = /^\d{1,10}$/.test(id) && Number(id) > 0 ? Number(id) : null;
  if (runId === null || !(await getIngestRun(await getDb(), runId))) notFound();
  return children;
}
