-- Compact ingest ledger (lib/ingest): see the SQLite migration of the same number. The content hash
-- becomes a BIGINT (existing sha1 prefixes keep their first 52 bits, and their files are marked
-- 'sha1-52'); the per-line target_table goes (it is the file's), and so does the foreign key to the
-- files table (every ledger row is written by the batch that locks its file's row first).
ALTER TABLE modules_console_ingest_files ADD COLUMN IF NOT EXISTS line_hash TEXT NOT NULL DEFAULT 'sha1-52' CONSTRAINT modules_console_ingest_files_line_hash_check CHECK (line_hash IN ('sha1-52', 'cyrb53'));
--> statement-breakpoint
ALTER TABLE modules_console_ingest_lines ALTER COLUMN content_hash TYPE BIGINT USING ('x' || lpad(substr(lower(content_hash), 1, 13), 16, '0'))::bit(64)::bigint;
--> statement-breakpoint
ALTER TABLE modules_console_ingest_lines DROP COLUMN IF EXISTS target_table;
--> statement-breakpoint
ALTER TABLE modules_console_ingest_lines DROP CONSTRAINT IF EXISTS modules_console_ingest_lines_file_id_modules_console_ingest_files_id_fk;
--> statement-breakpoint
ALTER TABLE modules_console_ingest_lines DROP CONSTRAINT IF EXISTS modules_console_ingest_lines_file_id_fkey;
