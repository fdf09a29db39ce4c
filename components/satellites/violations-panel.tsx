import Link from 'next/link';
import { Badge } from '@/components/registry/badge';
import { Panel } from '@/components/ui/panel';
import type { Violation } from '@/lib/satellites/inventory';

const LABEL: Record<Violation['kind'], string> = {
  undocumented: 'undocumented',
  missing: 'documented but missing',
  'no-plan': 'no consolidation plan',
};

/** The protocol's satellite rules, broken: what the operator has to fix or document. */
export function ViolationsPanel({
  violations,
  scanComplete,
}: {
  violations: Violation[];
  scanComplete: boolean;
}) {
  const serious = violations.filter((violation) => violation.kind !== 'no-plan');
  const warnings = violations.filter((violation) => violation.kind === 'no-plan');
  return (
    <Panel title={`Protocol violations (${serious.length})`}>
      {!scanComplete && (
        <p className="mb-2 text-xs text-zinc-500">
          Documented-but-missing satellites are listed once a scan has finished.
        </p>
      )}
      {serious.length === 0 ? (
        <p className="text-sm text-emerald-700 dark:text-emerald-400">
          {scanComplete
            ? 'Every SQLite file is documented and every documented satellite exists.'
            : 'None found so far.'}
        </p>
      ) : (
        <ul className="space-y-2" aria-label="Violations">
          {serious.map((violation) => (
            <li
              key={violation.kind === 'undocumented' ? violation.fileKey : `missing-${violation.declaredId}`}
              className="flex items-start gap-2 text-sm"
              data-violation={violation.kind}
            >
              <Badge tone="danger">{LABEL[violation.kind]}</Badge>
              <span className="[overflow-wrap:anywhere]">
                {violation.kind === 'undocumented' ? (
                  <>
                    <Link
                      href={`/satellites/${violation.fileKey}`}
                      className="font-mono text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {violation.path}
                    </Link>{' '}
                    matches no declared satellite: no owner, rationale or consolidation plan on record.
                  </>
                ) : (
                  violation.message
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {warnings.length > 0 && (
        <ul className="mt-3 space-y-1 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          {warnings.map((warning) => (
            <li
              key={`plan-${warning.kind === 'no-plan' ? warning.declaredId : ''}`}
              className="flex items-start gap-2 text-xs text-zinc-600 dark:text-zinc-400"
            >
              <Badge tone="warning">{LABEL[warning.kind]}</Badge>
              <span>{warning.message}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
