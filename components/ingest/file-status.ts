// Where an audited file stands against the database: never ingested, partly (new lines since, or a
// run stopped midway), done, or changed on disk (rewritten or truncated, so the checkpoint no longer
// continues it). Pure, so it is tested and used on both sides.

export type FileIngestState = 'not_ingested' | 'partly' | 'done' | 'changed' | 'missing';

export interface FileCheckpoint {
  state: 'active' | 'changed' | 'superseded';
  stateDetail: string | null;
  committedOffset: number;
  pendingBytes: number;
  linesCommitted: number;
}

export interface FileStatusView {
  state: FileIngestState;
  label: string;
  detail: string;
  /** Share of the file's bytes accounted for (0–1), when it has been ingested. */
  fraction: number | null;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * `size` is the file's size on disk now (null when it is gone); `checkpoint` is its ingest record, if
 * any run has recorded it.
 */
export function fileStatus(size: number | null, checkpoint: FileCheckpoint | null): FileStatusView {
  if (!checkpoint) {
    return size === null
      ? { state: 'missing', label: 'missing', detail: 'The file is no longer on disk.', fraction: null }
      : {
          state: 'not_ingested',
          label: 'not ingested',
          detail: 'No run has read this file yet.',
          fraction: 0,
        };
  }
  if (checkpoint.state === 'changed')
    return {
      state: 'changed',
      label: 'changed on disk',
      detail: `${checkpoint.stateDetail ?? 'The file no longer continues what was ingested'}. Its ${count(checkpoint.linesCommitted)} ingested lines stay; ingest it as a new generation to read it again.`,
      fraction: null,
    };
  if (size === null)
    return {
      state: 'missing',
      label: 'missing',
      detail: `The file is no longer on disk; its ${count(checkpoint.linesCommitted)} ingested lines stay in the database.`,
      fraction: null,
    };
  if (size < checkpoint.committedOffset)
    return {
      state: 'changed',
      label: 'changed on disk',
      detail: `It is ${count(size)} bytes now, but ${count(checkpoint.committedOffset)} bytes of it were ingested: truncated or replaced. The next run will say which.`,
      fraction: null,
    };
  const accounted = checkpoint.committedOffset + checkpoint.pendingBytes;
  if (accounted >= size) {
    return {
      state: 'done',
      label: 'done',
      detail:
        checkpoint.pendingBytes > 0
          ? `${count(checkpoint.linesCommitted)} lines; the last line has no newline yet and waits for its writer.`
          : `${count(checkpoint.linesCommitted)} lines, every one accounted for.`,
      fraction: 1,
    };
  }
  const fraction = size === 0 ? 1 : checkpoint.committedOffset / size;
  return {
    state: 'partly',
    label: `partly (${Math.floor(fraction * 100)}%)`,
    detail: `${count(checkpoint.linesCommitted)} lines in; ${count(size - checkpoint.committedOffset)} bytes written since (or not read yet).`,
    fraction,
  };
}
