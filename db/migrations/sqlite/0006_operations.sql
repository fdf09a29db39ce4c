-- Operations (lib/operations): backups, retention policies and the retention history.
-- One row per backup the console made: where it is, what it holds and whether its copy checked out.
CREATE TABLE IF NOT EXISTS modules_console_backups (id INTEGER PRIMARY KEY AUTOINCREMENT, file_name TEXT NOT NULL UNIQUE, directory TEXT NOT NULL, method TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('running', 'verified', 'failed')), size_bytes INTEGER, sha256 TEXT, integrity TEXT, source_bytes INTEGER, duration_ms INTEGER, error TEXT, started_by TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, pruned_at TEXT)
--> statement-breakpoint
-- How long each timeline source keeps its rows (an admin edits these; nothing is deleted without a run).
CREATE TABLE IF NOT EXISTS modules_console_retention_policies (source TEXT PRIMARY KEY, keep_days INTEGER NOT NULL CHECK (keep_days >= 1), enabled INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)
--> statement-breakpoint
-- Every retention run, dry or not: who, when, which source, how many rows, the archive and its checksum.
CREATE TABLE IF NOT EXISTS modules_console_retention_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, table_name TEXT NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('dry-run', 'execute')), status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')), keep_days INTEGER NOT NULL, cutoff TEXT NOT NULL, rows_matched INTEGER, rows_deleted INTEGER NOT NULL DEFAULT 0, archive_path TEXT, archive_bytes INTEGER, archive_sha256 TEXT, error TEXT, started_by TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT)
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_retention_runs_source ON modules_console_retention_runs(source, id)
--> statement-breakpoint
-- The example the agents' documents give: heartbeats are kept 30 days.
INSERT INTO modules_console_retention_policies (source, keep_days, enabled, updated_by, updated_at) VALUES ('heartbeats', 30, 1, 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) ON CONFLICT (source) DO NOTHING
