-- JSONL consolidation (lib/ingest): audits, ingest runs, per-file checkpoints, the per-line ledger that
-- makes re-runs idempotent, quarantined rejects, and the events API's idempotency keys. Only new
-- modules_console_* tables: nothing the agents own is touched. Times are UTC ISO-8601 with Z.
CREATE TABLE IF NOT EXISTS modules_console_ingest_audits (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, created_by TEXT NOT NULL, roots_json TEXT NOT NULL, files INTEGER NOT NULL, bytes INTEGER NOT NULL, report_json TEXT NOT NULL);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules_console_ingest_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_by TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, heartbeat_at TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')), host TEXT NOT NULL, pid INTEGER NOT NULL, options_json TEXT NOT NULL, files INTEGER NOT NULL DEFAULT 0, lines_read INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0, already_present INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0, blank INTEGER NOT NULL DEFAULT 0, pending_partial INTEGER NOT NULL DEFAULT 0, bytes_read INTEGER NOT NULL DEFAULT 0, progress_json TEXT, report_json TEXT, error TEXT);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_ingest_runs_started ON modules_console_ingest_runs(started_at);
--> statement-breakpoint
-- One row per (file path, generation): a file found rewritten or truncated in place is only ingested
-- again as a new generation, on request. committed_offset advances in the same transaction as each batch.
CREATE TABLE IF NOT EXISTS modules_console_ingest_files (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, relative_path TEXT NOT NULL, generation INTEGER NOT NULL, domain TEXT NOT NULL, target_table TEXT NOT NULL, domain_reason TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('active', 'changed', 'superseded')), state_detail TEXT, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, dev TEXT NOT NULL, inode TEXT NOT NULL, head_len INTEGER NOT NULL, head_hash TEXT NOT NULL, tail_hash TEXT, committed_offset INTEGER NOT NULL DEFAULT 0, lines_committed INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0, blank INTEGER NOT NULL DEFAULT 0, pending_bytes INTEGER NOT NULL DEFAULT 0, last_run_id INTEGER REFERENCES modules_console_ingest_runs(id) ON DELETE SET NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (path, generation));
--> statement-breakpoint
-- The ledger: one row per ingested line, keyed by its byte offset in its file (stable in an
-- append-only file). WITHOUT ROWID keeps it one B-tree, so it costs one insert per line.
CREATE TABLE IF NOT EXISTS modules_console_ingest_lines (file_id INTEGER NOT NULL REFERENCES modules_console_ingest_files(id) ON DELETE CASCADE, byte_offset INTEGER NOT NULL, line_no INTEGER NOT NULL, content_hash TEXT NOT NULL, target_table TEXT NOT NULL, target_id INTEGER NOT NULL, run_id INTEGER NOT NULL, PRIMARY KEY (file_id, byte_offset)) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules_console_ingest_rejects (id INTEGER PRIMARY KEY AUTOINCREMENT, file_id INTEGER NOT NULL REFERENCES modules_console_ingest_files(id) ON DELETE CASCADE, line_no INTEGER NOT NULL, byte_offset INTEGER NOT NULL, byte_length INTEGER NOT NULL, content_hash TEXT NOT NULL, raw_text TEXT NOT NULL, raw_base64 TEXT, reason_code TEXT NOT NULL, reason TEXT NOT NULL, run_id INTEGER NOT NULL, created_at TEXT NOT NULL, UNIQUE (file_id, byte_offset));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_ingest_rejects_run ON modules_console_ingest_rejects(run_id, id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_ingest_rejects_reason ON modules_console_ingest_rejects(reason_code, id);
--> statement-breakpoint
-- POST /api/v1/events: one row per (token, client_event_id), so a retried batch inserts nothing twice.
CREATE TABLE IF NOT EXISTS modules_console_event_keys (id INTEGER PRIMARY KEY AUTOINCREMENT, token_id INTEGER NOT NULL REFERENCES modules_console_api_tokens(id) ON DELETE CASCADE, client_event_id TEXT NOT NULL, target_table TEXT NOT NULL, target_id INTEGER NOT NULL, request_hash TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (token_id, client_event_id));
