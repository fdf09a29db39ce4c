-- Compact ingest ledger (lib/ingest): the per-line ledger keeps its key (file_id, byte_offset) — what
-- makes re-runs idempotent — but stores the content hash as a 53-bit INTEGER instead of 16 hex digits,
-- and no longer repeats the target table on every line (it is the file's: modules_console_ingest_files).
-- Existing ledgers are converted in place: their sha1 prefix becomes the integer of its first 13 hex
-- digits (52 bits), and their files are marked line_hash = 'sha1-52' so verification and later
-- batches of those files keep hashing the same way. Files ingested from now on use 'cyrb53'.
-- The ledger's foreign key to the files table goes too: every ledger row is written by the batch that
-- first re-reads its file's checkpoint row under the write lock, nothing deletes file rows, and the
-- per-row parent lookup cost about a tenth of the insert time.
ALTER TABLE modules_console_ingest_files ADD COLUMN line_hash TEXT NOT NULL DEFAULT 'sha1-52' CHECK (line_hash IN ('sha1-52', 'cyrb53'));
--> statement-breakpoint
CREATE TABLE modules_console_ingest_lines_0007 (file_id INTEGER NOT NULL, byte_offset INTEGER NOT NULL, line_no INTEGER NOT NULL, content_hash INTEGER NOT NULL, target_id INTEGER NOT NULL, run_id INTEGER NOT NULL, PRIMARY KEY (file_id, byte_offset)) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO modules_console_ingest_lines_0007 (file_id, byte_offset, line_no, content_hash, target_id, run_id) SELECT file_id, byte_offset, line_no, (instr('0123456789abcdef', substr(lower(content_hash), 1, 1)) - 1) * 281474976710656 + (instr('0123456789abcdef', substr(lower(content_hash), 2, 1)) - 1) * 17592186044416 + (instr('0123456789abcdef', substr(lower(content_hash), 3, 1)) - 1) * 1099511627776 + (instr('0123456789abcdef', substr(lower(content_hash), 4, 1)) - 1) * 68719476736 + (instr('0123456789abcdef', substr(lower(content_hash), 5, 1)) - 1) * 4294967296 + (instr('0123456789abcdef', substr(lower(content_hash), 6, 1)) - 1) * 268435456 + (instr('0123456789abcdef', substr(lower(content_hash), 7, 1)) - 1) * 16777216 + (instr('0123456789abcdef', substr(lower(content_hash), 8, 1)) - 1) * 1048576 + (instr('0123456789abcdef', substr(lower(content_hash), 9, 1)) - 1) * 65536 + (instr('0123456789abcdef', substr(lower(content_hash), 10, 1)) - 1) * 4096 + (instr('0123456789abcdef', substr(lower(content_hash), 11, 1)) - 1) * 256 + (instr('0123456789abcdef', substr(lower(content_hash), 12, 1)) - 1) * 16 + (instr('0123456789abcdef', substr(lower(content_hash), 13, 1)) - 1) * 1, target_id, run_id FROM modules_console_ingest_lines ORDER BY file_id, byte_offset;
--> statement-breakpoint
DROP TABLE modules_console_ingest_lines;
--> statement-breakpoint
ALTER TABLE modules_console_ingest_lines_0007 RENAME TO modules_console_ingest_lines;
