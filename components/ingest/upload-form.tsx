'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { formatBytes } from '@/lib/format/numbers';
import { DOMAIN_OPTIONS, domainLabel, percent } from './format';
import { ProgressBar } from './progress-bar';

const EXTENSIONS = ['.jsonl', '.ndjson'];
const RETRIES = 3;

type Phase = 'idle' | 'uploading' | 'finishing' | 'done' | 'failed';
interface ErrorBody {
  error?: { message?: string; expectedOffset?: number };
}

class UploadFailed extends Error {}

function errorText(body: unknown, status: number): string {
  const message = (body as ErrorBody | null)?.error?.message;
  return message ?? `The server answered ${status}.`;
}

/** One chunk by XMLHttpRequest, whose upload.onprogress reports bytes as they leave the browser. */
function sendChunk(
  url: string,
  blob: Blob,
  onProgress: (loaded: number) => void,
  current: { xhr: XMLHttpRequest | null },
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    current.xhr = xhr;
    xhr.open('PUT', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON (a proxy's error page): the status says enough.
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('The connection to the server was lost.'));
    xhr.onabort = () => reject(new UploadFailed('Upload cancelled.'));
    xhr.send(blob);
  });
}

async function postJson(url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    // Reported by status below.
  }
  return { status: response.status, body: parsed };
}

/**
 * Uploads one JSONL file in chunks with a progress bar, then the server stores it under a name of its
 * own and ingests it like any other file; the page then follows the run.
 */
export function UploadForm({ maxBytes, chunkBytes }: { maxBytes: number; chunkBytes: number }) {
  const router = useRouter();
  const fileId = useId();
  const domainId = useId();
  const finalizeId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [domain, setDomain] = useState('');
  const [finalize, setFinalize] = useState(true);
  const [phase, setPhase] = useState<Phase>('idle');
  const [sent, setSent] = useState(0);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const current = useRef<{ xhr: XMLHttpRequest | null; id: string | null; cancelled: boolean }>({
    xhr: null,
    id: null,
    cancelled: false,
  });
  const busy = phase === 'uploading' || phase === 'finishing';

  function check(next: File | null): string | null {
    if (!next) return 'Choose a JSONL file.';
    if (!EXTENSIONS.some((extension) => next.name.toLowerCase().endsWith(extension)))
      return `${next.name} is not a JSONL file: only .jsonl and .ndjson files can be uploaded.`;
    if (next.size === 0) return `${next.name} is empty: there is nothing to ingest.`;
    if (next.size > maxBytes)
      return `${next.name} is ${formatBytes(next.size)}; uploads are limited to ${formatBytes(maxBytes)}. Ingest larger files on the server with npx foundups ingest FILE.`;
    return null;
  }

  async function upload() {
    const problem = check(file);
    setFileError(problem);
    if (problem || !file) return;
    current.current = { xhr: null, id: null, cancelled: false };
    setPhase('uploading');
    setSent(0);
    setMessage({ ok: true, text: `Uploading ${file.name}…` });
    try {
      const created = await postJson('/api/ingest/uploads', {
        name: file.name,
        size: file.size,
        domain,
        finalize,
      });
      if (created.status !== 201) throw new UploadFailed(errorText(created.body, created.status));
      const { id } = created.body as { id: string };
      current.current.id = id;
      let offset = 0;
      let failures = 0;
      while (offset < file.size) {
        if (current.current.cancelled) throw new UploadFailed('Upload cancelled.');
        const end = Math.min(file.size, offset + chunkBytes);
        const start = offset;
        let result: { status: number; body: unknown };
        try {
          result = await sendChunk(
            `/api/ingest/uploads/${id}?offset=${start}`,
            file.slice(start, end),
            (loaded) => setSent(start + loaded),
            current.current,
          );
        } catch (error) {
          if (error instanceof UploadFailed || ++failures > RETRIES) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500 * failures));
          continue;
        }
        const expected = (result.body as ErrorBody | null)?.error?.expectedOffset;
        if (result.status === 200) {
          offset = (result.body as { received: number }).received;
          failures = 0;
        } else if (
          (result.status === 409 || result.status === 400) &&
          typeof expected === 'number' &&
          failures < RETRIES
        ) {
          // A chunk the server already has (or only part of): continue from where it stands.
          failures += 1;
          offset = expected;
        } else {
          throw new UploadFailed(errorText(result.body, result.status));
        }
        setSent(offset);
      }
      setPhase('finishing');
      setMessage({ ok: true, text: 'Storing the file and starting its ingest…' });
      const done = await postJson(`/api/ingest/uploads/${id}`);
      if (done.status !== 200) throw new UploadFailed(errorText(done.body, done.status));
      current.current.id = null;
      const outcome = done.body as { name: string; runId: number | null; message: string };
      setMessage({ ok: outcome.runId !== null, text: outcome.message });
      setPhase('done');
      // The page lists the upload and follows its run below the form.
      router.refresh();
    } catch (error) {
      setPhase('failed');
      setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) });
      const id = current.current.id;
      current.current.id = null;
      // Nothing half-uploaded is kept: the server drops what arrived.
      if (id) await fetch(`/api/ingest/uploads/${id}`, { method: 'DELETE' }).catch(() => undefined);
    }
  }

  function cancel() {
    current.current.cancelled = true;
    current.current.xhr?.abort();
  }

  const size = file?.size ?? 0;
  const fraction = size > 0 ? sent / size : 0;
  return (
    <div className="space-y-4">
      <form
        aria-label="Upload a JSONL file"
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          void upload();
        }}
      >
        <div className="space-y-1">
          <label htmlFor={fileId} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
            JSONL file
          </label>
          <input
            id={fileId}
            type="file"
            accept=".jsonl,.ndjson,application/x-ndjson,application/jsonl"
            disabled={busy}
            aria-invalid={fileError ? true : undefined}
            aria-describedby={`${fileId}-hint${fileError ? ` ${fileId}-error` : ''}`}
            onChange={(event) => {
              const next = event.target.files?.[0] ?? null;
              setFile(next);
              setFileError(next ? check(next) : null);
              setPhase('idle');
              setMessage(null);
              setSent(0);
            }}
            className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-zinc-100 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
          />
          <p id={`${fileId}-hint`} className="text-xs text-zinc-500">
            One JSON object per line (.jsonl or .ndjson), up to {formatBytes(maxBytes)}.
          </p>
          {fileError && (
            <p id={`${fileId}-error`} className="text-xs text-red-600 dark:text-red-400">
              {fileError}
            </p>
          )}
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor={domainId} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
              Domain
            </label>
            <select
              id={domainId}
              value={domain}
              disabled={busy}
              onChange={(event) => setDomain(event.target.value)}
              aria-describedby={`${domainId}-hint`}
              className="block h-9 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            >
              <option value="">Detect from the name and fields</option>
              {DOMAIN_OPTIONS.map((option) => (
                <option key={option} value={option}>
                  {domainLabel(option)}
                </option>
              ))}
            </select>
            <p id={`${domainId}-hint`} className="text-xs text-zinc-500">
              Choose one when the file’s name and fields do not say it.
            </p>
          </div>
          <div className="flex items-start gap-2 sm:pt-6">
            <input
              id={finalizeId}
              type="checkbox"
              checked={finalize}
              disabled={busy}
              onChange={(event) => setFinalize(event.target.checked)}
              className="mt-0.5 size-4 accent-sky-600"
              aria-describedby={`${finalizeId}-hint`}
            />
            <div>
              <label htmlFor={finalizeId} className="text-sm font-medium text-zinc-700 dark:text-zinc-300">
                The file is complete
              </label>
              <p id={`${finalizeId}-hint`} className="text-xs text-zinc-500">
                A last line without a newline is read as a whole line (nothing is still writing to an upload).
              </p>
            </div>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" disabled={busy || !file} aria-busy={busy || undefined}>
            {phase === 'uploading'
              ? 'Uploading…'
              : phase === 'finishing'
                ? 'Starting the ingest…'
                : 'Upload and ingest'}
          </Button>
          {phase === 'uploading' && (
            <Button type="button" variant="secondary" onClick={cancel}>
              Cancel
            </Button>
          )}
        </div>
      </form>
      {(busy || phase === 'done' || (phase === 'failed' && sent > 0)) && file && (
        <div className="space-y-1">
          <ProgressBar
            fraction={fraction}
            label={`Upload of ${file.name}`}
            className="h-3 w-full"
            tone={phase === 'done' ? 'emerald' : 'sky'}
          />
          <p className="text-xs tabular-nums text-zinc-500">
            {formatBytes(sent)} of {formatBytes(size)} ({percent(fraction)})
          </p>
        </div>
      )}
      <p
        role="status"
        aria-live="polite"
        data-testid="upload-status"
        className={`min-h-5 text-sm [overflow-wrap:anywhere] ${
          message === null
            ? ''
            : message.ok
              ? 'text-emerald-700 dark:text-emerald-400'
              : 'text-red-600 dark:text-red-400'
        }`}
      >
        {message?.text}
      </p>
    </div>
  );
}
