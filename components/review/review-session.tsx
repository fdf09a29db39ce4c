'use client';

import { usePathname, useRouter } from 'next/navigation';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useTransition,
} from 'react';
import { undoApprovalAction } from '@/lib/review/actions';
import { UNDO_WINDOW_MS } from '@/lib/review/workflow';
import { EDIT_PARAM } from './review-links';

// State that outlives one review page: the "Undo" toast after an approval (the focus view moves on to
// the next post, the toast stays), and the aria-live region that announces every result. Lives in
// app/(console)/review/layout.tsx, which persists across /review and /review/[postId].

type ToastTone = 'success' | 'error' | 'info';

interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
  undo?: { postId: string; version: number; expiresAt: number };
}

export interface ReviewSession {
  /** Says `message` to screen readers (assertive for failures). */
  announce(message: string, politeness?: 'polite' | 'assertive'): void;
  /** Shows a toast and announces it. */
  notify(message: string, tone?: ToastTone): void;
  /** After an approval: the toast with "Undo" for the undo window; `u` takes it back. */
  offerUndo(post: { postId: string; version: number }, message: string): void;
  /** Takes back the last approval, if still possible. */
  undo(): void;
  canUndo: boolean;
  undoPending: boolean;
}

const ReviewSessionContext = createContext<ReviewSession | null>(null);

export function useReviewSession(): ReviewSession {
  const session = useContext(ReviewSessionContext);
  if (!session)
    throw new Error('useReviewSession needs <ReviewSessionProvider> (app/(console)/review/layout.tsx).');
  return session;
}

// The client's window closes a little before the server's, which counts from its own write time.
const CLIENT_UNDO_MS = UNDO_WINDOW_MS - 750;

export function ReviewSessionProvider({ children }: { children: React.ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [toast, setToast] = useState<Toast | null>(null);
  const [live, setLive] = useState({ polite: '', assertive: '' });
  const [now, setNow] = useState(() => Date.now());
  const [undoPending, startUndo] = useTransition();
  const nextId = useRef(1);

  const announce = useCallback((message: string, politeness: 'polite' | 'assertive' = 'polite') => {
    // Clear first so the same words twice are announced twice.
    setLive((current) => ({ ...current, [politeness]: '' }));
    window.setTimeout(() => setLive((current) => ({ ...current, [politeness]: message })), 50);
  }, []);

  const notify = useCallback(
    (message: string, tone: ToastTone = 'success') => {
      setToast({ id: nextId.current++, tone, message });
      announce(message, tone === 'error' ? 'assertive' : 'polite');
    },
    [announce],
  );

  const offerUndo = useCallback(
    (post: { postId: string; version: number }, message: string) => {
      setToast({
        id: nextId.current++,
        tone: 'success',
        message,
        undo: { ...post, expiresAt: Date.now() + CLIENT_UNDO_MS },
      });
      setNow(Date.now());
      announce(`${message} Press u to undo.`);
    },
    [announce],
  );

  // Tick while an undo is offered (the countdown), and dismiss plain toasts after a while.
  useEffect(() => {
    if (!toast) return;
    if (toast.undo) {
      const timer = window.setInterval(() => {
        const current = Date.now();
        setNow(current);
        if (toast.undo && current >= toast.undo.expiresAt) setToast((t) => (t?.id === toast.id ? null : t));
      }, 250);
      return () => window.clearInterval(timer);
    }
    if (toast.tone === 'error') return;
    const timer = window.setTimeout(() => setToast((t) => (t?.id === toast.id ? null : t)), 6000);
    return () => window.clearTimeout(timer);
  }, [toast]);

  const undoTarget = toast?.undo && toast.undo.expiresAt > now ? toast.undo : null;

  const undo = useCallback(() => {
    if (!undoTarget) {
      notify('Nothing to undo: undo works for a few seconds after an approval.', 'info');
      return;
    }
    const { postId, version } = undoTarget;
    startUndo(async () => {
      let result: Awaited<ReturnType<typeof undoApprovalAction>>;
      try {
        result = await undoApprovalAction({ postId, version });
      } catch {
        notify('The undo did not reach the server; check the post and revoke it if needed.', 'error');
        return;
      }
      if (!result.ok) {
        notify(result.error, 'error');
        router.refresh();
        return;
      }
      notify(result.message, 'success');
      // In the focus view, go back to the post whose approval was undone (it is pending again).
      if (pathname.startsWith('/review/') && pathname !== `/review/${encodeURIComponent(postId)}`) {
        const params = new URLSearchParams(window.location.search);
        params.delete(EDIT_PARAM);
        const search = params.toString();
        router.replace(`/review/${encodeURIComponent(postId)}${search ? `?${search}` : ''}`, {
          scroll: false,
        });
      } else {
        router.refresh();
      }
    });
  }, [undoTarget, notify, router, pathname]);

  const session = useMemo<ReviewSession>(
    () => ({ announce, notify, offerUndo, undo, canUndo: undoTarget !== null, undoPending }),
    [announce, notify, offerUndo, undo, undoTarget, undoPending],
  );

  const secondsLeft = undoTarget ? Math.max(0, Math.ceil((undoTarget.expiresAt - now) / 1000)) : 0;
  return (
    <ReviewSessionContext.Provider value={session}>
      {children}
      <div className="sr-only" aria-live="polite" role="status" data-testid="review-announcer">
        {live.polite}
      </div>
      <div className="sr-only" aria-live="assertive" aria-atomic="true">
        {live.assertive}
      </div>
      {toast && (
        <div className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center px-4 sm:justify-end">
          <div
            data-testid="review-toast"
            data-tone={toast.tone}
            className={`pointer-events-auto flex max-w-md items-center gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${
              toast.tone === 'error'
                ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100'
                : 'border-zinc-200 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100'
            }`}
          >
            <p className="min-w-0 flex-1 [overflow-wrap:anywhere]">{toast.message}</p>
            {undoTarget && (
              <button
                type="button"
                onClick={undo}
                disabled={undoPending}
                className="shrink-0 rounded-md bg-zinc-900 px-2.5 py-1 text-xs font-semibold text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900"
              >
                Undo <kbd className="font-mono">u</kbd> · {secondsLeft}s
              </button>
            )}
            <button
              type="button"
              onClick={() => setToast(null)}
              className="shrink-0 rounded px-1 text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100"
              aria-label="Dismiss"
            >
              ×
            </button>
          </div>
        </div>
      )}
    </ReviewSessionContext.Provider>
  );
}
