import { StatCard } from '@/components/ui/stat-card';
import { formatBytes } from '@/lib/format/numbers';
import type { AuditReport } from '@/lib/ingest/audit';
import { count } from './format';

/** The audit's headline figures. */
export function AuditSummary({ report }: { report: AuditReport }) {
  const t = report.totals;
  const domains = Object.keys(t.byDomain).filter((domain) => domain !== 'unknown').length;
  const unknown = t.byDomain.unknown?.files ?? 0;
  const malformedFiles = report.files.filter((file) => file.malformedLines > 0).length;
  return (
    <section aria-label="Audit summary" className="grid grid-cols-2 gap-3 lg:grid-cols-5">
      <StatCard label="Files" value={count(t.files)} detail={formatBytes(t.bytes)} />
      <StatCard
        label="Domains"
        value={count(domains)}
        detail={
          unknown
            ? `${count(unknown)} file${unknown === 1 ? '' : 's'} of unknown domain`
            : 'every file placed'
        }
        tone={unknown ? 'warning' : 'default'}
      />
      <StatCard label="Total lines" value={count(t.lines)} detail={`${count(t.blankLines)} blank`} />
      <StatCard
        label="Malformed"
        value={count(t.malformedLines)}
        detail={
          t.malformedLines ? `in ${count(malformedFiles)} file${malformedFiles === 1 ? '' : 's'}` : 'none'
        }
        tone={t.malformedLines ? 'warning' : 'default'}
      />
      <StatCard
        label="High risk"
        value={count(t.byRisk.high)}
        detail={`${count(t.byRisk.medium)} medium · ${count(t.byRisk.low)} low`}
        tone={t.byRisk.high ? 'danger' : 'default'}
      />
    </section>
  );
}
