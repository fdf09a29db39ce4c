import { ReviewSessionProvider } from '@/components/review/review-session';

/** Kept across the queue and the focus view: the undo toast and the announcements outlive a page. */
export default function ReviewLayout({ children }: { children: React.ReactNode }) {
  return <ReviewSessionProvider>{children}</ReviewSessionProvider>;
}
