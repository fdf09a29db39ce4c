-- Review workflow: optimistic-concurrency columns on agents_social_posts, an append-only post history
-- that also captures the agents' direct writes (triggers), queue indexes, and API idempotency keys.
-- Only additions: the agents' INSERT/UPDATE statements name their columns and never touch these, and
-- their SELECT * just sees three more columns. Times written here are UTC ISO-8601 with Z.
ALTER TABLE agents_social_posts ADD COLUMN console_version INTEGER NOT NULL DEFAULT 0;
--> statement-breakpoint
ALTER TABLE agents_social_posts ADD COLUMN console_actor TEXT;
--> statement-breakpoint
ALTER TABLE agents_social_posts ADD COLUMN console_updated_at TEXT;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_social_posts_status_created ON agents_social_posts(status, created_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_social_posts_created ON agents_social_posts(created_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_social_posts_identity_created ON agents_social_posts(identity, created_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_social_posts_target_url ON agents_social_posts(target_url);
--> statement-breakpoint
-- No foreign key to agents_social_posts: history outlives a deleted post and must never cascade.
CREATE TABLE IF NOT EXISTS modules_console_post_history (id INTEGER PRIMARY KEY AUTOINCREMENT, post_id TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, actor_kind TEXT NOT NULL CHECK (actor_kind IN ('operator', 'token', 'direct', 'system')), action TEXT NOT NULL, from_status TEXT, to_status TEXT, note TEXT, content_before TEXT, content_after TEXT, version INTEGER NOT NULL);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_post_history_post ON modules_console_post_history(post_id, id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_post_history_at ON modules_console_post_history(at);
--> statement-breakpoint
-- Append-only: nobody (console, agents, an operator with sqlite3) may change or remove history rows.
CREATE TRIGGER IF NOT EXISTS trg_console_post_history_no_update BEFORE UPDATE ON modules_console_post_history BEGIN SELECT RAISE(ABORT, 'modules_console_post_history is append-only: history rows cannot be updated'); END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS trg_console_post_history_no_delete BEFORE DELETE ON modules_console_post_history BEGIN SELECT RAISE(ABORT, 'modules_console_post_history is append-only: history rows cannot be deleted'); END;
--> statement-breakpoint
-- A post inserted without the console (console_version still 0, e.g. the agents' record_post). The
-- console's own inserts set console_version = 1 and write their history row in the same transaction.
CREATE TRIGGER IF NOT EXISTS trg_social_posts_direct_insert AFTER INSERT ON agents_social_posts WHEN NEW.console_version = 0 BEGIN INSERT INTO modules_console_post_history (post_id, at, actor, actor_kind, action, from_status, to_status, note, content_before, content_after, version) VALUES (NEW.post_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'direct database write', 'direct', 'created', NULL, NEW.status, NULL, NULL, NULL, 0); END;
--> statement-breakpoint
-- A change of status/content/review_notes that left console_version alone did not come from the console
-- (the agents' approve_post, reject_post, mark_posted, or hand-written SQL): record it, then bump the
-- version so any reviewer still holding the old version gets a conflict instead of overwriting it.
-- Recursive triggers are off by default, and the inner UPDATE names none of the OF columns anyway.
CREATE TRIGGER IF NOT EXISTS trg_social_posts_direct_update AFTER UPDATE OF status, content, review_notes ON agents_social_posts WHEN NEW.console_version = OLD.console_version AND (NEW.status IS NOT OLD.status OR NEW.content IS NOT OLD.content OR NEW.review_notes IS NOT OLD.review_notes) BEGIN INSERT INTO modules_console_post_history (post_id, at, actor, actor_kind, action, from_status, to_status, note, content_before, content_after, version) VALUES (NEW.post_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'direct database write', 'direct', CASE WHEN NEW.status IS NOT OLD.status THEN CASE NEW.status WHEN 'approved' THEN 'approve' WHEN 'rejected' THEN 'reject' WHEN 'posted' THEN 'mark_posted' ELSE 'status_change' END WHEN NEW.content IS NOT OLD.content THEN 'edit' ELSE 'note' END, OLD.status, NEW.status, CASE WHEN NEW.review_notes IS NOT OLD.review_notes THEN NEW.review_notes END, CASE WHEN NEW.content IS NOT OLD.content THEN OLD.content END, CASE WHEN NEW.content IS NOT OLD.content THEN NEW.content END, OLD.console_version + 1); UPDATE agents_social_posts SET console_version = OLD.console_version + 1, console_actor = 'direct database write', console_updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id; END;
--> statement-breakpoint
-- Idempotency keys of API creates: the same key and body give back the same post.
CREATE TABLE IF NOT EXISTS modules_console_idempotency_keys (id INTEGER PRIMARY KEY AUTOINCREMENT, token_id INTEGER NOT NULL REFERENCES modules_console_api_tokens(id) ON DELETE CASCADE, key TEXT NOT NULL, request_hash TEXT NOT NULL, response_json TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (token_id, key));
