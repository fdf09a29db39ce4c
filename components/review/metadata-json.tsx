/** The agent's metadata column, pretty-printed; invalid JSON is shown as stored, with a note. */
export function MetadataJson({ metadata }: { metadata: string | null }) {
  if (metadata === null || metadata.trim() === '')
    return <p className="text-sm text-zinc-400">No metadata.</p>;
  let pretty: string | null = null;
  try {
    pretty = JSON.stringify(JSON.parse(metadata) as unknown, null, 2);
  } catch {
    pretty = null;
  }
  return (
    <div className="space-y-1">
      {pretty === null && (
        <p className="text-xs text-amber-700 dark:text-amber-400">Not valid JSON; shown as stored.</p>
      )}
      <pre className="max-h-80 overflow-auto rounded-md bg-zinc-50 p-2 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] dark:bg-zinc-950">
        {pretty ?? metadata}
      </pre>
    </div>
  );
}
