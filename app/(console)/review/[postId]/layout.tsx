import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { requireOperator } from '@/lib/auth/current';
import { getPost } from '@/lib/review/queries';

/**
 * An unknown post id answers with a real 404 status: the check runs here, above this segment's
 * loading.tsx (a Suspense boundary whose fallback would otherwise have started the response as 200).
 * The "No such post" page is review/not-found.tsx, the boundary that catches a layout's notFound().
 */
export default async function ReviewPostLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ postId: string }>;
}) {
  await requireOperator('viewer');
  // A page's dynamic segment arrives still percent-encoded (route handlers get it decoded): without
  // this, an agent's post id with a space, quote or any non-ASCII character could never be opened.
  let postId: string;
  try {
    postId = decodeURIComponent((await params).postId);
  } catch {
    notFound();
  }
  if (postId.length > 200) notFound();
  if (!(await getPost(await getDb(), postId))) notFound();
  return children;
}
