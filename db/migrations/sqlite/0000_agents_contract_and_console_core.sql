CREATE TABLE IF NOT EXISTS agents_awakening (agent_id TEXT PRIMARY KEY, consciousness_level TEXT, last_koan TEXT, awakening_timestamp DATETIME);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_memory (id INTEGER PRIMARY KEY AUTOINCREMENT, agent_id TEXT, pattern_type TEXT, pattern_data JSON, learned_at DATETIME DEFAULT CURRENT_TIMESTAMP);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_errors (id INTEGER PRIMARY KEY AUTOINCREMENT, error_hash TEXT UNIQUE, error_type TEXT, solution JSON, occurrences INTEGER DEFAULT 1);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_breadcrumbs (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, action TEXT, agent_id TEXT DEFAULT '0102', query TEXT, results JSON, related_docs JSON, contract_id TEXT, task_id TEXT, data JSON);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_contracts (contract_id TEXT PRIMARY KEY, task_description TEXT, assigned_agent TEXT, estimated_minutes INTEGER, priority TEXT DEFAULT 'medium', dependencies JSON, deliverables JSON, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, deadline DATETIME, completed_at DATETIME, status TEXT DEFAULT 'active');
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_collaboration_signals (agent_id TEXT PRIMARY KEY, collaboration_mode TEXT DEFAULT 'active', available_until DATETIME, skills_offered JSON, current_focus TEXT, last_ping DATETIME DEFAULT CURRENT_TIMESTAMP, autonomy_level TEXT DEFAULT 'semi', workload_capacity REAL DEFAULT 1.0);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_coordination_events (event_id TEXT PRIMARY KEY, event_type TEXT, initiator_agent TEXT, target_agents JSON, payload JSON, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, resolution_status TEXT DEFAULT 'pending');
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_autonomous_tasks (task_id TEXT PRIMARY KEY, description TEXT, required_skills JSON, estimated_complexity REAL, priority_score REAL, discovered_by TEXT DEFAULT 'autonomous_discovery', discovered_at DATETIME DEFAULT CURRENT_TIMESTAMP, context JSON, assigned_to TEXT, assigned_at DATETIME);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS index_refresh_tracking (index_type TEXT PRIMARY KEY, last_refresh DATETIME DEFAULT CURRENT_TIMESTAMP, refresh_count INTEGER DEFAULT 0, last_refresh_duration REAL, total_entries_indexed INTEGER DEFAULT 0);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules (module_id INTEGER PRIMARY KEY AUTOINCREMENT, module_name TEXT NOT NULL, module_path TEXT NOT NULL UNIQUE, module_domain TEXT NOT NULL, linked_timestamp DATETIME, linker_version TEXT DEFAULT '1.0.0');
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS module_documents (doc_id INTEGER PRIMARY KEY AUTOINCREMENT, module_id INTEGER NOT NULL, doc_type TEXT NOT NULL, file_path TEXT NOT NULL UNIQUE, title TEXT, purpose TEXT, last_updated DATETIME, FOREIGN KEY (module_id) REFERENCES modules(module_id) ON DELETE CASCADE);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS document_relationships (from_doc_id INTEGER NOT NULL, to_doc_id INTEGER NOT NULL, PRIMARY KEY (from_doc_id, to_doc_id), FOREIGN KEY (from_doc_id) REFERENCES module_documents(doc_id) ON DELETE CASCADE, FOREIGN KEY (to_doc_id) REFERENCES module_documents(doc_id) ON DELETE CASCADE);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS module_wsp_implementations (module_id INTEGER NOT NULL, wsp_number TEXT NOT NULL, PRIMARY KEY (module_id, wsp_number), FOREIGN KEY (module_id) REFERENCES modules(module_id) ON DELETE CASCADE);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS document_cross_references (doc_id INTEGER NOT NULL, reference_type TEXT NOT NULL, reference_value TEXT NOT NULL, PRIMARY KEY (doc_id, reference_type, reference_value), FOREIGN KEY (doc_id) REFERENCES module_documents(doc_id) ON DELETE CASCADE);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_modules_name ON modules(module_name);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_modules_domain ON modules(module_domain);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_documents_module ON module_documents(module_id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_documents_type ON module_documents(doc_type);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_wsp_impl_wsp ON module_wsp_implementations(wsp_number);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_cross_ref_value ON document_cross_references(reference_value);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_social_posts (id INTEGER PRIMARY KEY AUTOINCREMENT, post_id TEXT UNIQUE NOT NULL, platform TEXT NOT NULL, post_type TEXT NOT NULL, identity TEXT, target_url TEXT, target_author TEXT, content TEXT NOT NULL, tone TEXT, trigger_context TEXT, status TEXT DEFAULT 'draft', review_notes TEXT, reviewed_at DATETIME, posted_at DATETIME, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, metadata JSON);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_social_posts_platform ON agents_social_posts(platform);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_social_posts_status ON agents_social_posts(status);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_social_posts_identity ON agents_social_posts(identity);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS agents_transactions (id INTEGER PRIMARY KEY AUTOINCREMENT, tx_id TEXT UNIQUE NOT NULL, chain_tx_hash TEXT, amount REAL NOT NULL, currency TEXT NOT NULL, purpose TEXT, status TEXT DEFAULT 'pending', metadata JSON, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_transactions_status ON agents_transactions(status);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_transactions_currency ON agents_transactions(currency);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS selenium_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp TEXT NOT NULL, url TEXT NOT NULL, screenshot_hash TEXT, screenshot_path TEXT, annotated_path TEXT, analysis_json TEXT);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_selenium_sessions_timestamp ON selenium_sessions(timestamp DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_selenium_sessions_hash ON selenium_sessions(screenshot_hash);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS permission_events (id INTEGER PRIMARY KEY AUTOINCREMENT, agent_id TEXT NOT NULL, event_type TEXT NOT NULL, permission_level TEXT, granted_at TEXT NOT NULL, granted_by TEXT, confidence REAL, justification TEXT, approval_signature TEXT, metadata_json TEXT, created_at TEXT DEFAULT (datetime('now')));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS confidence_events (id INTEGER PRIMARY KEY AUTOINCREMENT, agent_id TEXT NOT NULL, confidence_before REAL, confidence_after REAL, event_type TEXT NOT NULL, success BOOLEAN, validation TEXT, recorded_at TEXT NOT NULL, metadata_json TEXT, created_at TEXT DEFAULT (datetime('now')));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS chat_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, stream_id TEXT NOT NULL, sent_at TEXT NOT NULL, message TEXT, message_type TEXT DEFAULT 'chat', metadata_json TEXT, created_at TEXT DEFAULT (datetime('now')));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS daemon_health (id INTEGER PRIMARY KEY AUTOINCREMENT, daemon_name TEXT NOT NULL, heartbeat_at TEXT NOT NULL, status TEXT NOT NULL, video_id TEXT, errors_detected INTEGER DEFAULT 0, uptime_seconds INTEGER, metrics_json TEXT, created_at TEXT DEFAULT (datetime('now')));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS error_events (id INTEGER PRIMARY KEY AUTOINCREMENT, source_module TEXT NOT NULL, raised_at TEXT NOT NULL, severity TEXT NOT NULL, error_type TEXT, message TEXT, stack_trace TEXT, payload_json TEXT, created_at TEXT DEFAULT (datetime('now')));
--> statement-breakpoint
-- Indexes the timeline needs on the consolidated telemetry tables: (time), (actor, time), (type, time).
CREATE INDEX IF NOT EXISTS idx_permission_events_time ON permission_events(granted_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_permission_events_agent_time ON permission_events(agent_id, granted_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_permission_events_type_time ON permission_events(event_type, granted_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_confidence_events_time ON confidence_events(recorded_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_confidence_events_agent_time ON confidence_events(agent_id, recorded_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_confidence_events_type_time ON confidence_events(event_type, recorded_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_chat_messages_time ON chat_messages(sent_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_chat_messages_user_time ON chat_messages(user_id, sent_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_chat_messages_type_time ON chat_messages(message_type, sent_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_daemon_health_time ON daemon_health(heartbeat_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_daemon_health_daemon_time ON daemon_health(daemon_name, heartbeat_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_daemon_health_status_time ON daemon_health(status, heartbeat_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_error_events_time ON error_events(raised_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_error_events_module_time ON error_events(source_module, raised_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_error_events_severity_time ON error_events(severity, raised_at);
--> statement-breakpoint
-- metrics_events: defined by the console (the agents have no DDL for it yet).
CREATE TABLE IF NOT EXISTS metrics_events (id INTEGER PRIMARY KEY AUTOINCREMENT, metric_name TEXT NOT NULL, value REAL NOT NULL, unit TEXT, source_module TEXT, agent_id TEXT, tags_json TEXT, recorded_at TEXT NOT NULL, created_at TEXT DEFAULT (datetime('now')));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_metrics_events_time ON metrics_events(recorded_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_metrics_events_agent_time ON metrics_events(agent_id, recorded_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_metrics_events_name_time ON metrics_events(metric_name, recorded_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_metrics_events_module_time ON metrics_events(source_module, recorded_at);
--> statement-breakpoint
-- The console's own tables (modules_console_*). Times are UTC ISO-8601 text: YYYY-MM-DDTHH:MM:SS.sssZ.
CREATE TABLE IF NOT EXISTS modules_console_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules_console_operators (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE, display_name TEXT, role TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'admin')), password_hash TEXT NOT NULL, disabled_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules_console_sessions (id TEXT PRIMARY KEY, operator_id INTEGER NOT NULL REFERENCES modules_console_operators(id) ON DELETE CASCADE, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, revoked_at TEXT, user_agent TEXT, ip TEXT);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_sessions_operator ON modules_console_sessions(operator_id);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules_console_login_attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, ip TEXT NOT NULL, attempted_at TEXT NOT NULL, succeeded INTEGER NOT NULL);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_login_attempts_user_time ON modules_console_login_attempts(username, attempted_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_login_attempts_ip_time ON modules_console_login_attempts(ip, attempted_at);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules_console_api_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, token_prefix TEXT NOT NULL, scopes TEXT NOT NULL, created_by INTEGER REFERENCES modules_console_operators(id) ON DELETE SET NULL, created_at TEXT NOT NULL, expires_at TEXT, last_used_at TEXT, revoked_at TEXT);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS modules_console_activity (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT, detail_json TEXT);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_console_activity_at ON modules_console_activity(at);
