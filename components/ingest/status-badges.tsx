import { Badge, type BadgeTone } from '@/components/registry/badge';
import type { FileIngestState } from './file-status';

const RUN_TONES: Record<string, BadgeTone> = {
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  interrupted: 'warning',
};

export function RunStatusBadge({ status }: { status: string }) {
  return <Badge tone={RUN_TONES[status] ?? 'neutral'}>{status}</Badge>;
}

const FILE_TONES: Record<FileIngestState, BadgeTone> = {
  not_ingested: 'outline',
  partly: 'info',
  done: 'success',
  changed: 'danger',
  missing: 'warning',
};

export function FileStateBadge({
  state,
  label,
  title,
}: {
  state: FileIngestState;
  label: string;
  title?: string;
}) {
  return (
    <Badge tone={FILE_TONES[state]} title={title}>
      {label}
    </Badge>
  );
}

const RISK_TONES: Record<string, BadgeTone> = { high: 'danger', medium: 'warning', low: 'success' };

export function RiskBadge({ risk, title }: { risk: string; title?: string }) {
  return (
    <Badge tone={RISK_TONES[risk] ?? 'neutral'} title={title}>
      {risk} risk
    </Badge>
  );
}

const REPORT_TONES: Record<string, BadgeTone> = {
  ingested: 'success',
  up_to_date: 'neutral',
  changed: 'danger',
  skipped: 'warning',
  failed: 'danger',
  interrupted: 'warning',
  reading: 'info',
  waiting: 'outline',
};

/** A file's state within a run (waiting, reading, then the engine's verdict). */
export function RunFileBadge({ state }: { state: string }) {
  return <Badge tone={REPORT_TONES[state] ?? 'neutral'}>{state.replaceAll('_', ' ')}</Badge>;
}
