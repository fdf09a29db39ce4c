// The timeline's source registry against the migrated schema (tables, columns, time indexes), the
// committed migration against the registry's generated DDL, every source's SQL on every engine,
// admin-registered sources (and the names they refuse), and sources whose table is missing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from '@/db/database';
import { getTimelinePage } from '@/lib/timeline/list';
import { AGENT_TIME_INDEXES, timelineMigrationStatements } from '@/lib/timeline/rollups';
import {
  BUILT_IN_SOURCES,
  TimelineSourceError,
  hasIndexLeading,
  listRegisteredSources,
  missingTimelineIndexes,
  readCatalogue,
  referencedColumns,
  registerTimelineSource,
  removeTimelineSource,
  resolveSources,
  zoneAware,
} from '@/lib/timeline/sources';
import { describeEachDatabase } from './support/databases';

const MIGRATIONS = path.join(import.meta.dirname, '..', 'db', 'migrations');

function committedStatements(dialect: 'sqlite' | 'postgres'): string[] {
  const text = fs.readFileSync(path.join(MIGRATIONS, dialect, '0002_timeline.sql'), 'utf8');
  return text
    .split('--> statement-breakpoint')
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

describe('migration 0002_timeline', () => {
  it.each(['sqlite', 'postgres'] as const)(
    '%s: the committed file is the DDL the registry generates',
    (dialect) => {
      expect(committedStatements(dialect)).toEqual(timelineMigrationStatements(dialect));
    },
  );

  it('the journal lists it after 0001 on both dialects', () => {
    for (const dialect of ['sqlite', 'postgres']) {
      const journal = JSON.parse(
        fs.readFileSync(path.join(MIGRATIONS, dialect, 'meta', '_journal.json'), 'utf8'),
      ) as { entries: { tag: string; idx: number }[] };
      expect(journal.entries.find((entry) => entry.tag === '0002_timeline')?.idx).toBe(2);
    }
  });

  it('source ids and tables are unique; every built-in source has rollups, so no chart scans its rows over long ranges', () => {
    expect(new Set(BUILT_IN_SOURCES.map((s) => s.id)).size).toBe(BUILT_IN_SOURCES.length);
    expect(new Set(BUILT_IN_SOURCES.map((s) => s.table)).size).toBe(BUILT_IN_SOURCES.length);
    expect(BUILT_IN_SOURCES.filter((s) => !s.maintained).map((s) => s.id)).toEqual([]);
    expect(BUILT_IN_SOURCES.filter((s) => !zoneAware(s)).map((s) => s.id)).toEqual([
      'coordination',
      'contracts',
      'tasks',
    ]);
  });
});

describeEachDatabase('timeline registry against the migrated schema', (use) => {
  it('every built-in source: table and columns exist, the key is the primary key, the time column is indexed', async () => {
    const catalogue = await readCatalogue(use().db, { fresh: true });
    for (const source of BUILT_IN_SOURCES) {
      const table = catalogue.tables.get(source.table);
      expect(table, source.table).toBeDefined();
      for (const column of referencedColumns(source))
        expect(table!.columns.has(column), `${source.table}.${column}`).toBe(true);
      expect(table!.primaryKey, source.table).toEqual([source.primaryKey.column]);
      expect(
        hasIndexLeading(table!, [source.time.column]),
        `index on ${source.table}(${source.time.column})`,
      ).toBe(true);
    }
    for (const [name, table] of AGENT_TIME_INDEXES)
      expect(catalogue.tables.get(table)!.indexes.map((i) => i.name)).toContain(name);
  });

  it("the console's own telemetry sources have (time), (actor, time) and (type, time) indexes; agent tables get recommendations", async () => {
    const catalogue = await readCatalogue(use().db);
    for (const id of ['permissions', 'confidence', 'chat', 'heartbeats', 'metrics']) {
      expect(
        missingTimelineIndexes(
          BUILT_IN_SOURCES.find((s) => s.id === id)!,
          catalogue,
        ),
        id,
      ).toEqual([]);
    }
    const memory = missingTimelineIndexes(
      BUILT_IN_SOURCES.find((s) => s.id === 'memory')!,
      catalogue,
    );
    expect(memory).toEqual([
      {
        columns: ['agent_id', 'learned_at'],
        statement:
          'CREATE INDEX IF NOT EXISTS "idx_agents_memory_agent_id_learned_at" ON "agents_memory" ("agent_id", "learned_at")',
      },
      {
        columns: ['pattern_type', 'learned_at'],
        statement:
          'CREATE INDEX IF NOT EXISTS "idx_agents_memory_pattern_type_learned_at" ON "agents_memory" ("pattern_type", "learned_at")',
      },
    ]);
  });

  it('every source’s expressions run on this engine and give the same summaries everywhere', async () => {
    const { db } = use();
    const at = '2025-05-01 10:00:00';
    await db.run(
      sql`INSERT INTO permission_events (agent_id, event_type, permission_level, granted_at, granted_by, justification) VALUES ('gemma', 'PERMISSION_GRANTED', 'edit_access_src', ${at}, '012', 'tests pass')`,
    );
    await db.run(
      sql`INSERT INTO confidence_events (agent_id, confidence_before, confidence_after, event_type, success, validation, recorded_at) VALUES ('gemma', 0.85, 0.87, 'TESTS_PASSED', ${false}, 'pytest: 3 failed', ${at})`,
    );
    await db.run(
      sql`INSERT INTO chat_messages (user_id, stream_id, sent_at, message) VALUES ('UC1', 's1', ${at}, 'hi')`,
    );
    await db.run(
      sql`INSERT INTO daemon_health (daemon_name, heartbeat_at, status, video_id, uptime_seconds) VALUES ('holo_dae', ${at}, 'healthy', 'abc', 3600)`,
    );
    await db.run(
      sql`INSERT INTO error_events (source_module, raised_at, severity, error_type, message) VALUES ('livechat', ${at}, 'warn', 'KeyError', 'missing key')`,
    );
    await db.run(
      sql`INSERT INTO metrics_events (metric_name, value, unit, source_module, agent_id, recorded_at) VALUES ('tokens_used', 42, 'count', 'holo_index', 'qwen', ${at})`,
    );
    await db.run(
      sql`INSERT INTO metrics_events (metric_name, value, unit, source_module, agent_id, recorded_at) VALUES ('latency', 12.5, NULL, NULL, 'qwen', ${at})`,
    );
    await db.run(
      sql`INSERT INTO selenium_sessions (timestamp, url, analysis_json) VALUES (${'2025-05-01T10:00:00+00:00'}, 'https://example.com/page', '{"ok": true}')`,
    );
    await db.run(
      sql`INSERT INTO agents_coordination_events (event_id, event_type, initiator_agent, target_agents, resolution_status, timestamp) VALUES ('c1', 'handoff', 'qwen', '["gemma"]', 'failed', ${at})`,
    );
    await db.run(
      sql`INSERT INTO agents_breadcrumbs (session_id, timestamp, action, agent_id, query) VALUES ('s', ${at}, 'search', 'gemma', 'find docs')`,
    );
    await db.run(
      sql`INSERT INTO agents_memory (agent_id, pattern_type, pattern_data, learned_at) VALUES ('gemma', 'fix', '{"a":1}', ${at})`,
    );
    await db.run(
      sql`INSERT INTO agents_contracts (contract_id, task_description, assigned_agent, created_at, status) VALUES ('k1', 'Write tests', 'gemma', ${at}, 'active')`,
    );
    await db.run(
      sql`INSERT INTO agents_autonomous_tasks (task_id, description, discovered_at, assigned_to) VALUES ('t1', 'Refactor', ${at}, 'qwen')`,
    );
    await db.run(
      sql`INSERT INTO agents_social_posts (post_id, platform, post_type, identity, content, status, created_at) VALUES ('p1', 'x', 'reply', 'UnDaoDu', 'Hello world', 'rejected', ${at})`,
    );
    const page = await getTimelinePage(
      db,
      { from: new Date('2025-05-01T09:00:00Z'), to: new Date('2025-05-01T11:00:00Z') },
      { limit: 100 },
    );
    const summaries = Object.fromEntries(
      page.events.map((e) => [`${e.source}:${e.summary}`, [e.module, e.actor, e.type, e.severity]]),
    );
    expect(summaries).toEqual({
      'permissions:PERMISSION_GRANTED edit_access_src by 012 · tests pass': [
        'permissions',
        'gemma',
        'PERMISSION_GRANTED',
        'info',
      ],
      'confidence:TESTS_PASSED 85% → 87% · pytest: 3 failed': [
        'confidence',
        'gemma',
        'TESTS_PASSED',
        'warning',
      ],
      'chat:hi': ['chat', 'UC1', 'chat', 'info'],
      'heartbeats:healthy · video abc · up 3600s': ['holo_dae', 'holo_dae', 'healthy', 'info'],
      'errors:KeyError: missing key': ['livechat', 'livechat', 'KeyError', 'warning'],
      'metrics:tokens_used = 42 count': ['holo_index', 'qwen', 'tokens_used', 'info'],
      'metrics:latency = 12.5': ['metrics', 'qwen', 'latency', 'info'],
      'browser:https://example.com/page': ['browser_sessions', null, 'vision_analyze', 'info'],
      'coordination:handoff → ["gemma"] (failed)': ['coordination', 'qwen', 'handoff', 'warning'],
      'breadcrumbs:search: find docs': ['breadcrumbs', 'gemma', 'search', 'info'],
      'memory:learned fix: {"a":1}': ['agent_memory', 'gemma', 'fix', 'info'],
      'contracts:Write tests [medium]': ['contracts', 'gemma', 'active', 'info'],
      'tasks:Refactor → qwen': ['autonomous_tasks', 'autonomous_discovery', 'assigned', 'info'],
      'posts:x reply [rejected]: Hello world': ['social_posts', 'UnDaoDu', 'reply', 'warning'],
    });
    // The post's creation was also recorded in the review history (a trigger of 0001): its own source.
    const reviews = await getTimelinePage(db, { sources: ['reviews'] });
    expect(reviews.events.map((e) => [e.summary, e.actor, e.type])).toEqual([
      ['created p1 (— → rejected)', 'direct database write', 'created'],
    ]);
  });
});

describeEachDatabase('admin-registered timeline sources', (use) => {
  it('registers a modules_* table after checking it against the catalogue, lists it, reads it, removes it', async () => {
    const { db } = use();
    await db.run(
      sql.raw(
        db.dialect === 'sqlite'
          ? 'CREATE TABLE modules_chat_rules_timeouts (id INTEGER PRIMARY KEY AUTOINCREMENT, mod_id TEXT, target TEXT, duration INTEGER, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP)'
          : 'CREATE TABLE modules_chat_rules_timeouts (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, mod_id TEXT, target TEXT, duration BIGINT, timestamp TEXT)',
      ),
    );
    await db.run(
      sql`INSERT INTO modules_chat_rules_timeouts (mod_id, target, duration, timestamp) VALUES ('mod1', 'troll', 300, '2025-06-01 08:00:00'), ('mod2', 'spam', 60, '2025-06-01T09:00:00')`,
    );
    const row = await registerTimelineSource(
      db,
      {
        tableName: ' modules_chat_rules_timeouts ',
        label: 'Timeouts',
        timeColumn: 'timestamp',
        actorColumn: 'mod_id',
        typeColumn: '',
        summaryColumn: 'target',
      },
      'admin',
    );
    expect(row).toMatchObject({
      table_name: 'modules_chat_rules_timeouts',
      label: 'Timeouts',
      actor_column: 'mod_id',
      type_column: null,
      created_by: 'admin',
    });
    const listed = await listRegisteredSources(db);
    expect(listed).toEqual([
      expect.objectContaining({
        table_name: 'modules_chat_rules_timeouts',
        problem: null,
        timeIndexed: false,
      }),
    ]);

    const page = await getTimelinePage(db, { sources: ['modules_chat_rules_timeouts'] });
    expect(page.events.map((e) => [e.summary, e.actor, e.module, e.type, e.sourceLabel])).toEqual([
      ['spam', 'mod2', 'chat', 'rules_timeouts', 'Timeouts'],
      ['troll', 'mod1', 'chat', 'rules_timeouts', 'Timeouts'],
    ]);
    const byActor = await getTimelinePage(db, { actors: ['mod1'] });
    expect(byActor.events.map((e) => e.source)).toEqual(['modules_chat_rules_timeouts']);

    await expect(
      registerTimelineSource(
        db,
        { tableName: 'modules_chat_rules_timeouts', label: 'Again', timeColumn: 'timestamp' },
        'admin',
      ),
    ).rejects.toThrow(/already registered/);
    expect(await removeTimelineSource(db, 'modules_chat_rules_timeouts')).toBe(true);
    expect(await removeTimelineSource(db, 'modules_chat_rules_timeouts')).toBe(false);
    expect((await resolveSources(db)).sources.map((s) => s.id)).not.toContain('modules_chat_rules_timeouts');
  });

  it('refuses unsafe names, other namespaces, missing tables and columns, and writes nothing', async () => {
    const { db } = use();
    const attempt = async (input: Parameters<typeof registerTimelineSource>[1]) => {
      try {
        await registerTimelineSource(db, input, 'admin');
      } catch (error) {
        expect(error).toBeInstanceOf(TimelineSourceError);
        return (error as TimelineSourceError).fieldErrors;
      }
      throw new Error('registered although it should have been refused');
    };
    expect(
      await attempt({
        tableName: 'modules_x; DROP TABLE agents_memory',
        label: 'x',
        timeColumn: 'timestamp',
      }),
    ).toHaveProperty('tableName');
    expect(await attempt({ tableName: 'agents_memory', label: 'x', timeColumn: 'learned_at' })).toEqual({
      tableName: 'Only modules_* and foundups_* tables can be registered.',
    });
    expect(
      await attempt({ tableName: 'modules_console_sessions', label: 'x', timeColumn: 'created_at' }),
    ).toEqual({ tableName: "The console's own tables cannot be registered." });
    expect(await attempt({ tableName: 'modules_nope_missing', label: 'x', timeColumn: 'at' })).toEqual({
      tableName: 'There is no table modules_nope_missing in the database.',
    });
    await db.run(
      sql.raw(
        'CREATE TABLE foundups_demo_content (id TEXT PRIMARY KEY, user_id TEXT, content TEXT, created_at TEXT)',
      ),
    );
    expect(
      await attempt({
        tableName: 'foundups_demo_content',
        label: 'x',
        timeColumn: 'when',
        actorColumn: 'user id',
      }),
    ).toEqual({
      timeColumn: 'foundups_demo_content has no column when.',
      actorColumn: 'Column names are letters, digits and underscores, starting with a letter or underscore.',
    });
    expect(
      await attempt({
        tableName: 'foundups_demo_content',
        label: ' ',
        timeColumn: 'created_at',
        typeColumn: 'kind"--',
      }),
    ).toEqual({
      label: 'Give the source a label.',
      typeColumn: 'Column names are letters, digits and underscores, starting with a letter or underscore.',
    });
    expect(await listRegisteredSources(db)).toEqual([]);
    // A text primary key works too.
    await registerTimelineSource(
      db,
      {
        tableName: 'foundups_demo_content',
        label: 'Demo content',
        timeColumn: 'created_at',
        actorColumn: 'user_id',
      },
      'admin',
    );
    await db.run(
      sql`INSERT INTO foundups_demo_content (id, user_id, content, created_at) VALUES ('b', 'u1', 'x', '2025-06-01 10:00:00'), ('a', 'u1', 'y', '2025-06-01 10:00:00')`,
    );
    const page = await getTimelinePage(db, { sources: ['foundups_demo_content'] }, { limit: 1 });
    const next = await getTimelinePage(
      db,
      { sources: ['foundups_demo_content'] },
      { cursor: page.nextCursor, limit: 1 },
    );
    expect([...page.events, ...next.events].map((e) => [e.id, e.summary])).toEqual([
      ['b', 'Demo content #b'],
      ['a', 'Demo content #a'],
    ]);
  });

  it('a registered source whose table was dropped is skipped with the reason, not an error', async () => {
    const { db } = use();
    await db.run(sql.raw('DROP TABLE foundups_demo_content'));
    const resolved = await resolveSources(db, { fresh: true });
    expect(resolved.skipped).toContainEqual({
      id: 'foundups_demo_content',
      table: 'foundups_demo_content',
      reason: 'There is no table foundups_demo_content in the database.',
    });
    await expect(getTimelinePage(db)).resolves.toMatchObject({ events: [] });
  });
});

describeEachDatabase('timeline sources whose table does not exist', (use) => {
  it('are skipped; a table dropped after the catalogue was read is noticed; one created later shows up', async () => {
    const { db } = use();
    await db.run(
      sql`INSERT INTO agents_memory (agent_id, pattern_type, learned_at) VALUES ('gemma', 'fix', '2025-01-01 00:00:00')`,
    );
    await db.run(
      sql`INSERT INTO chat_messages (user_id, stream_id, sent_at, message) VALUES ('u', 's', '2025-01-01T00:00:01', 'hi')`,
    );
    expect((await getTimelinePage(db)).events.map((e) => e.source)).toEqual(['chat', 'memory']);
    // The cached catalogue still lists the table: the failed query refreshes it and retries.
    await db.run(sql.raw('DROP TABLE agents_memory'));
    const page = await getTimelinePage(db);
    expect(page.events.map((e) => e.source)).toEqual(['chat']);
    expect(page.skipped).toContainEqual({
      id: 'memory',
      table: 'agents_memory',
      reason: 'table agents_memory does not exist',
    });
    await db.run(
      sql.raw(
        db.dialect === 'sqlite'
          ? 'CREATE TABLE agents_memory (id INTEGER PRIMARY KEY AUTOINCREMENT, agent_id TEXT, pattern_type TEXT, pattern_data JSON, learned_at DATETIME DEFAULT CURRENT_TIMESTAMP)'
          : "CREATE TABLE agents_memory (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, agent_id TEXT, pattern_type TEXT, pattern_data TEXT, learned_at TEXT DEFAULT to_char((now() AT TIME ZONE 'utc'), 'YYYY-MM-DD HH24:MI:SS'))",
      ),
    );
    await db.run(
      sql`INSERT INTO agents_memory (agent_id, pattern_type, learned_at) VALUES ('qwen', 'idea', '2025-01-01 00:00:02')`,
    );
    await resolveSources(db, { fresh: true });
    expect((await getTimelinePage(db)).events.map((e) => [e.source, e.actor])).toEqual([
      ['memory', 'qwen'],
      ['chat', 'u'],
    ]);
  });
});
