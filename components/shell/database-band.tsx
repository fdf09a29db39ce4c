import { TONE_STYLES, type DatabaseOption } from './database-tone';

/** The full-width strip above every console page when several databases are configured. */
export function DatabaseBand({ database }: { database: DatabaseOption }) {
  const style = TONE_STYLES[database.tone];
  return (
    <div
      className={`flex items-center justify-center gap-2 px-4 py-1 text-xs font-semibold tracking-wide ${style.band}`}
      data-testid="database-band"
      data-database={database.name}
      data-tone={database.tone}
    >
      <span className="uppercase">{style.label}</span>
      <span aria-hidden>·</span>
      <span>
        database <span className="font-mono">{database.name}</span>
      </span>
      <span className="hidden truncate font-normal opacity-80 sm:inline" title={database.description}>
        ({database.description})
      </span>
    </div>
  );
}
