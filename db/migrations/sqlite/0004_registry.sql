-- Table registry, satellite inventory and SQL console (lib/registry, lib/satellites, lib/sql-console).
-- Purposes of tables as an admin wrote them (the registry's Markdown export uses them).
CREATE TABLE IF NOT EXISTS modules_console_table_purposes (table_name TEXT PRIMARY KEY, purpose TEXT NOT NULL, owner TEXT, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)
--> statement-breakpoint
-- Measurements too slow for a page load, kept with their time: exact counts, sizes, JSON checks.
CREATE TABLE IF NOT EXISTS modules_console_table_stats (table_name TEXT PRIMARY KEY, exact_rows INTEGER, counted_at TEXT, count_ms INTEGER, total_bytes INTEGER, index_bytes INTEGER, sized_at TEXT, json_report TEXT, json_checked_at TEXT)
--> statement-breakpoint
-- Background work (exact counts, size measurement, integrity checks, ANALYZE, checkpoints, satellite scans).
CREATE TABLE IF NOT EXISTS modules_console_registry_jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, target TEXT, status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')), progress_done INTEGER NOT NULL DEFAULT 0, progress_total INTEGER, message TEXT, result_json TEXT, error TEXT, started_by TEXT NOT NULL, started_at TEXT NOT NULL, heartbeat_at TEXT NOT NULL, finished_at TEXT)
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_registry_jobs_kind ON modules_console_registry_jobs(kind, id)
--> statement-breakpoint
-- Declared satellite databases (the architecture document's list, editable by an admin).
CREATE TABLE IF NOT EXISTS modules_console_satellites (id INTEGER PRIMARY KEY AUTOINCREMENT, pattern TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, rationale TEXT NOT NULL, phase INTEGER, plan TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)
--> statement-breakpoint
-- SQLite files a scan found, one row per file and scan.
CREATE TABLE IF NOT EXISTS modules_console_satellite_files (id INTEGER PRIMARY KEY AUTOINCREMENT, scan_id INTEGER NOT NULL REFERENCES modules_console_registry_jobs(id) ON DELETE CASCADE, file_key TEXT NOT NULL, root TEXT NOT NULL, rel_path TEXT NOT NULL, size_bytes INTEGER NOT NULL, modified_at TEXT NOT NULL, status TEXT NOT NULL, access TEXT, journal_mode TEXT, wal_present INTEGER NOT NULL DEFAULT 0, is_chroma INTEGER NOT NULL DEFAULT 0, page_size INTEGER, tables_json TEXT, error TEXT, inspect_ms INTEGER, UNIQUE (scan_id, file_key))
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_satellite_files_key ON modules_console_satellite_files(file_key, scan_id)
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules_console_saved_queries (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, sql_text TEXT NOT NULL, description TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
--> statement-breakpoint
-- The six satellites SCHEMA.md documents, seeded once (an admin may edit or delete them afterwards).
INSERT INTO modules_console_satellites (pattern, owner, rationale, phase, plan, created_by, created_at, updated_by, updated_at) VALUES
  ('social_media_orchestrator/memory/orchestrator_posted_streams.db', 'DuplicatePreventionManager', 'YouTube video dedup, high-frequency writes', 2, 'migrate into the main DB', 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('foundups_vision/data/training/*.db', 'VisionTrainingCollector', 'large binary blobs (screenshots)', 3, 'stays satellite by design', 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('holo_index/violations.db', 'HoloIndex', 'file violation tracking', NULL, NULL, 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('**/chroma.sqlite3', 'ChromaDB', 'vector embeddings, managed by the library', 3, 'stays satellite by design', 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('modules/foundups/simulator/memory/*/fam_audit.db', 'FAM Simulator', 'per-run audit logs', NULL, NULL, 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('modules/gamification/*/data/*.db', 'Gamification', 'game scores and quiz data', NULL, NULL, 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
ON CONFLICT (pattern) DO NOTHING
