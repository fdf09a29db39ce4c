import BetterSqlite3 from 'better-sqlite3';
import { type Prng, YOUTUBE_ID_ALPHABET } from './random';
import { pyFloat, pyJson, pythonIsoformat, sqliteTimestamp } from './python-formats';
import { AGENTS, FIRST_NAMES, LAST_NAMES, MODULES, WSP_NUMBERS } from './vocabulary';

/**
 * The satellite SQLite files of the demo system root: one per documented pattern in SCHEMA.md, plus
 * undocumented ones, each with the tables its owner would create. Written with rollback journaling
 * (no -wal files left behind), as a closed, finished file.
 */

const DAY = 86_400_000;

export interface SatelliteContext {
  rng: Prng;
  now: Date;
}

type Build = (db: BetterSqlite3.Database, ctx: SatelliteContext) => void;

function insertAll(db: BetterSqlite3.Database, statement: string, rows: unknown[][]): void {
  const prepared = db.prepare(statement);
  db.transaction(() => {
    for (const row of rows) prepared.run(row);
  })();
}

function ago(ctx: SatelliteContext, maxDays: number): Date {
  return new Date(ctx.now.getTime() - ctx.rng.int(60, maxDays * 86_400) * 1000);
}

const postedStreams: Build = (db, ctx) => {
  const { rng } = ctx;
  db.exec(`CREATE TABLE IF NOT EXISTS posted_streams (video_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, title TEXT, detected_at TEXT, posted_at TEXT, platforms TEXT);
CREATE TABLE IF NOT EXISTS posting_history (id INTEGER PRIMARY KEY AUTOINCREMENT, video_id TEXT NOT NULL, platform TEXT NOT NULL, status TEXT NOT NULL, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX IF NOT EXISTS idx_history_video ON posting_history(video_id);`);
  const streams = Array.from({ length: 60 }, () => {
    const detected = ago(ctx, 30);
    return [
      rng.chars(YOUTUBE_ID_ALPHABET, 11),
      rng.pick(['UC-LSSlOZwpGIRIYihaz8zCw', 'UCSNTUXjAgpd4sgWYP0xoJgw', 'UCklMTNnu5POwRmQsg5JJumA']),
      rng.pick([
        'Move2Japan LIVE',
        'UnDaoDu: FoundUps explained',
        'Building with 0102',
        'Sunday stream from Fukui',
      ]),
      pythonIsoformat(detected, 'naive', rng.int(0, 999)),
      rng.chance(0.85)
        ? pythonIsoformat(new Date(detected.getTime() + rng.int(30, 600) * 1000), 'naive', rng.int(0, 999))
        : null,
      pyJson(rng.sample(['linkedin', 'x', 'facebook'], rng.int(1, 3))),
    ];
  });
  insertAll(db, 'INSERT INTO posted_streams VALUES (?, ?, ?, ?, ?, ?)', streams);
  const history = streams.flatMap((stream) =>
    (JSON.parse(String(stream[5])) as string[]).map((platform) => [
      stream[0],
      platform,
      rng.pick(['posted', 'posted', 'posted', 'failed', 'skipped_duplicate']),
      sqliteTimestamp(ago(ctx, 30)),
    ]),
  );
  insertAll(
    db,
    'INSERT INTO posting_history (video_id, platform, status, created_at) VALUES (?, ?, ?, ?)',
    history,
  );
};

const visionTraining: Build = (db, ctx) => {
  const { rng } = ctx;
  db.exec(`CREATE TABLE IF NOT EXISTS training_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT UNIQUE, started_at TEXT, url TEXT, label TEXT);
CREATE TABLE IF NOT EXISTS screenshots (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT, captured_at TEXT, width INTEGER, height INTEGER, png BLOB);`);
  const sessions = Array.from({ length: 25 }, () => [
    `vis_${rng.hex(10)}`,
    pythonIsoformat(ago(ctx, 20), 'aware', rng.int(0, 999)),
    rng.pick(['https://www.linkedin.com/feed/', 'https://x.com/home', 'https://studio.youtube.com/']),
    rng.pick(['logged_in', 'login_required', 'captcha', 'composer_open']),
  ]);
  insertAll(
    db,
    'INSERT INTO training_sessions (session_id, started_at, url, label) VALUES (?, ?, ?, ?)',
    sessions,
  );
  // Small stand-in blobs with a PNG signature: large binary rows are why this satellite exists.
  const png = (size: number) => {
    const bytes = Buffer.alloc(size);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
    for (let i = 8; i < size; i++) bytes[i] = rng.int(0, 255);
    return bytes;
  };
  const shots = sessions.flatMap((session) =>
    Array.from({ length: rng.int(1, 3) }, () => [
      session[0],
      session[1],
      1280,
      720,
      png(rng.int(1024, 4096)),
    ]),
  );
  insertAll(
    db,
    'INSERT INTO screenshots (session_id, captured_at, width, height, png) VALUES (?, ?, ?, ?, ?)',
    shots,
  );
};

const holoViolations: Build = (db, ctx) => {
  const { rng } = ctx;
  db.exec(
    `CREATE TABLE IF NOT EXISTS violations (id INTEGER PRIMARY KEY AUTOINCREMENT, file_path TEXT NOT NULL, violation_type TEXT NOT NULL, wsp TEXT, severity TEXT, detected_at DATETIME DEFAULT CURRENT_TIMESTAMP, resolved INTEGER DEFAULT 0);`,
  );
  const rows = Array.from({ length: 120 }, () => {
    const [, path] = rng.pick(MODULES);
    return [
      `${path}/${rng.pick(['src/main.py', 'README.md', 'tests/test_main.py', 'INTERFACE.md', 'src/utils.py'])}`,
      rng.pick([
        'missing_modlog_entry',
        'file_too_long',
        'vibecoding_duplicate',
        'missing_interface',
        'root_level_file',
      ]),
      rng.pick(WSP_NUMBERS),
      rng.pick(['low', 'medium', 'high']),
      sqliteTimestamp(ago(ctx, 60)),
      rng.chance(0.6) ? 1 : 0,
    ];
  });
  insertAll(
    db,
    'INSERT INTO violations (file_path, violation_type, wsp, severity, detected_at, resolved) VALUES (?, ?, ?, ?, ?, ?)',
    rows,
  );
};

/** ChromaDB's own table names (the library manages this file; the console only reads it). */
const chroma: Build = (db, ctx) => {
  const { rng } = ctx;
  db.exec(`CREATE TABLE migrations (dir TEXT NOT NULL, version INTEGER NOT NULL, filename TEXT NOT NULL, sql TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (dir, version));
CREATE TABLE tenants (id TEXT PRIMARY KEY, UNIQUE (id));
CREATE TABLE databases (id TEXT PRIMARY KEY, name TEXT NOT NULL, tenant_id TEXT NOT NULL, UNIQUE (tenant_id, name));
CREATE TABLE collections (id TEXT PRIMARY KEY, name TEXT NOT NULL, dimension INTEGER, database_id TEXT NOT NULL, config_json_str TEXT, UNIQUE (name, database_id));
CREATE TABLE collection_metadata (collection_id TEXT REFERENCES collections(id) ON DELETE CASCADE, key TEXT NOT NULL, str_value TEXT, int_value INTEGER, float_value REAL, bool_value INTEGER, PRIMARY KEY (collection_id, key));
CREATE TABLE segments (id TEXT PRIMARY KEY, type TEXT NOT NULL, scope TEXT NOT NULL, collection TEXT REFERENCES collections(id) NOT NULL);
CREATE TABLE segment_metadata (segment_id TEXT REFERENCES segments(id) ON DELETE CASCADE, key TEXT NOT NULL, str_value TEXT, int_value INTEGER, float_value REAL, bool_value INTEGER, PRIMARY KEY (segment_id, key));
CREATE TABLE embeddings (id INTEGER PRIMARY KEY, segment_id TEXT NOT NULL, embedding_id TEXT NOT NULL, seq_id BLOB NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL, UNIQUE (segment_id, embedding_id));
CREATE TABLE embedding_metadata (id INTEGER REFERENCES embeddings(id), key TEXT NOT NULL, string_value TEXT, int_value INTEGER, float_value REAL, bool_value INTEGER, PRIMARY KEY (id, key));
CREATE TABLE max_seq_id (segment_id TEXT PRIMARY KEY, seq_id BLOB NOT NULL);
CREATE TABLE embeddings_queue (seq_id INTEGER PRIMARY KEY, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, operation INTEGER NOT NULL, topic TEXT NOT NULL, id TEXT NOT NULL, vector BLOB, encoding TEXT, metadata TEXT);
CREATE TABLE maintenance_log (id INT PRIMARY KEY, timestamp INT NOT NULL, operation TEXT NOT NULL);
CREATE VIRTUAL TABLE embedding_fulltext_search USING fts5(string_value, tokenize='trigram');`);
  const uuid = () => rng.uuid4();
  insertAll(db, 'INSERT INTO migrations VALUES (?, ?, ?, ?, ?)', [
    ['sysdb', 1, '00001-collections.sqlite.sql', 'CREATE TABLE collections (...)', rng.hex(32)],
    [
      'embeddings_queue',
      1,
      '00001-embeddings.sqlite.sql',
      'CREATE TABLE embeddings_queue (...)',
      rng.hex(32),
    ],
    [
      'metadb',
      1,
      '00001-embedding-metadata.sqlite.sql',
      'CREATE TABLE embedding_metadata (...)',
      rng.hex(32),
    ],
  ]);
  db.prepare('INSERT INTO tenants VALUES (?)').run('default_tenant');
  const databaseId = uuid();
  db.prepare('INSERT INTO databases VALUES (?, ?, ?)').run(databaseId, 'default_database', 'default_tenant');
  const collections = ['holo_index_docs', 'holo_index_code'].map((name) => [
    uuid(),
    name,
    384,
    databaseId,
    pyJson({ hnsw_configuration: { space: 'cosine', ef_construction: 100 } }),
  ]);
  insertAll(db, 'INSERT INTO collections VALUES (?, ?, ?, ?, ?)', collections);
  insertAll(
    db,
    'INSERT INTO collection_metadata (collection_id, key, str_value) VALUES (?, ?, ?)',
    collections.map((c) => [c[0], 'hnsw:space', 'cosine']),
  );
  const segments = collections.flatMap((c) => [
    [uuid(), 'urn:chroma:segment/vector/hnsw-local-persisted', 'VECTOR', c[0]],
    [uuid(), 'urn:chroma:segment/metadata/sqlite', 'METADATA', c[0]],
  ]);
  insertAll(db, 'INSERT INTO segments VALUES (?, ?, ?, ?)', segments);
  const metadataSegments = segments.filter((s) => s[2] === 'METADATA');
  const seq = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return b;
  };
  const embeddings: unknown[][] = [];
  const metadata: unknown[][] = [];
  const fulltext: unknown[][] = [];
  for (let i = 1; i <= 200; i++) {
    const segment = metadataSegments[i % metadataSegments.length]!;
    const [name, path] = rng.pick(MODULES);
    const doc = `${path}/${rng.pick(['README.md', 'INTERFACE.md', 'ModLog.md', 'src/main.py'])}`;
    embeddings.push([i, segment[0], `doc_${rng.hex(12)}`, seq(i), sqliteTimestamp(ago(ctx, 40))]);
    const text = `${name}: ${rng.pick(['handles YouTube live chat', 'posts to LinkedIn and X', 'semantic code search', 'recursive self-improvement', 'screenshot analysis'])}`;
    metadata.push([i, 'chroma:document', text], [i, 'path', doc], [i, 'module', name]);
    fulltext.push([i, text]);
  }
  insertAll(db, 'INSERT INTO embeddings VALUES (?, ?, ?, ?, ?)', embeddings);
  insertAll(db, 'INSERT INTO embedding_metadata (id, key, string_value) VALUES (?, ?, ?)', metadata);
  insertAll(db, 'INSERT INTO embedding_fulltext_search (rowid, string_value) VALUES (?, ?)', fulltext);
  insertAll(
    db,
    'INSERT INTO max_seq_id VALUES (?, ?)',
    metadataSegments.map((s) => [s[0], seq(200)]),
  );
  db.prepare('INSERT INTO maintenance_log VALUES (?, ?, ?)').run(
    1,
    Math.floor(ctx.now.getTime() / 1000) - 9 * 86_400,
    'vacuum',
  );
};

const famAudit =
  (run: number): Build =>
  (db, ctx) => {
    const { rng } = ctx;
    db.exec(`CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, tick INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, payload TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS run_summary (run_id TEXT PRIMARY KEY, started_at TEXT, ticks INTEGER, founders INTEGER, final_token_supply REAL);`);
    const runId = `run_${String(run).padStart(3, '0')}`;
    const start = ctx.now.getTime() - (10 - run) * DAY;
    const rows = Array.from({ length: 100 }, (_, tick) => [
      runId,
      tick,
      rng.pick(['founder_agent', 'investor_agent', 'market_maker', 'fam_daemon']),
      rng.pick(['mint', 'stake', 'vote', 'claim_reward', 'launch_foundup']),
      pyJson({ amount: pyFloat(rng.float(0, 1000), 2), foundup: `fu_${rng.int(1, 12)}` }),
      sqliteTimestamp(new Date(start + tick * 60_000)),
    ]);
    insertAll(
      db,
      'INSERT INTO audit_log (run_id, tick, actor, action, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      rows,
    );
    db.prepare('INSERT INTO run_summary VALUES (?, ?, ?, ?, ?)').run(
      runId,
      pythonIsoformat(new Date(start), 'naive'),
      100,
      rng.int(5, 40),
      Number(rng.float(1e5, 1e6).toFixed(2)),
    );
  };

const gameScores: Build = (db, ctx) => {
  const { rng } = ctx;
  db.exec(`CREATE TABLE IF NOT EXISTS scores (user_id TEXT PRIMARY KEY, username TEXT, score INTEGER DEFAULT 0, level TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS whacks (id INTEGER PRIMARY KEY AUTOINCREMENT, moderator_id TEXT, target_id TEXT, points INTEGER, whacked_at TEXT);`);
  const players = Array.from({ length: 80 }, () => [
    `UC${rng.chars(YOUTUBE_ID_ALPHABET, 22)}`,
    `${rng.pick(FIRST_NAMES)}${rng.pick(LAST_NAMES)}`,
    Math.round(rng.next() ** 2 * 5000),
    rng.pick(['Bronze Whacker', 'Silver Swatter', 'Gold Gavel', 'MAGADOOM Master']),
    pythonIsoformat(ago(ctx, 30), 'naive', rng.int(0, 999)),
  ]);
  insertAll(db, 'INSERT INTO scores VALUES (?, ?, ?, ?, ?)', players);
  const whacks = Array.from({ length: 300 }, () => [
    rng.pick(players)[0],
    `UC${rng.chars(YOUTUBE_ID_ALPHABET, 22)}`,
    rng.pick([1, 1, 2, 5]),
    pythonIsoformat(ago(ctx, 30), 'naive', rng.int(0, 999)),
  ]);
  insertAll(
    db,
    'INSERT INTO whacks (moderator_id, target_id, points, whacked_at) VALUES (?, ?, ?, ?)',
    whacks,
  );
};

const chatCache: Build = (db, ctx) => {
  const { rng } = ctx;
  db.exec('CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value TEXT, expires_at REAL)');
  const rows = Array.from({ length: 80 }, () => [
    `channel:${`UC${rng.chars(YOUTUBE_ID_ALPHABET, 22)}`}`,
    pyJson({ title: rng.pick(['Move2Japan', 'UnDaoDu', 'FoundUps']), subscribers: rng.int(100, 90_000) }),
    ctx.now.getTime() / 1000 + rng.int(-3600, 86_400),
  ]);
  insertAll(db, 'INSERT INTO cache VALUES (?, ?, ?)', rows);
};

const pqnResults: Build = (db, ctx) => {
  const { rng } = ctx;
  db.exec(
    'CREATE TABLE IF NOT EXISTS results (run INTEGER, step INTEGER, phi REAL, resonance_hz REAL, agent TEXT, PRIMARY KEY (run, step))',
  );
  const rows = [];
  for (let run = 1; run <= 6; run++)
    for (let step = 0; step < 25; step++)
      rows.push([
        run,
        step,
        Number(rng.float(0.4, 0.8).toFixed(4)),
        Number(rng.float(6.5, 7.6).toFixed(3)),
        rng.pick(AGENTS),
      ]);
  insertAll(db, 'INSERT INTO results VALUES (?, ?, ?, ?, ?)', rows);
};

const fixture: Build = (db) => {
  db.exec(
    "CREATE TABLE IF NOT EXISTS fixture (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO fixture (name) VALUES ('not a FoundUps satellite')",
  );
};

export type SatelliteKind = 'documented' | 'undocumented' | 'ignored';

export interface SatelliteFile {
  path: string;
  kind: SatelliteKind;
  /** SCHEMA.md's pattern it matches (documented ones). */
  pattern?: string;
  /** null: a zero-byte file (what sqlite3.connect leaves behind on a mistyped path). */
  build: Build | null;
}

export const SATELLITE_FILES: readonly SatelliteFile[] = [
  {
    path: 'modules/platform_integration/social_media_orchestrator/memory/orchestrator_posted_streams.db',
    kind: 'documented',
    pattern: 'social_media_orchestrator/memory/orchestrator_posted_streams.db',
    build: postedStreams,
  },
  {
    path: 'modules/infrastructure/foundups_vision/data/training/sessions.db',
    kind: 'documented',
    pattern: 'foundups_vision/data/training/*.db',
    build: visionTraining,
  },
  {
    path: 'holo_index/violations.db',
    kind: 'documented',
    pattern: 'holo_index/violations.db',
    build: holoViolations,
  },
  {
    path: 'holo_index/vectors/chroma.sqlite3',
    kind: 'documented',
    pattern: '**/chroma.sqlite3',
    build: chroma,
  },
  {
    path: 'modules/foundups/simulator/memory/run_001/fam_audit.db',
    kind: 'documented',
    pattern: 'modules/foundups/simulator/memory/*/fam_audit.db',
    build: famAudit(1),
  },
  {
    path: 'modules/foundups/simulator/memory/run_002/fam_audit.db',
    kind: 'documented',
    pattern: 'modules/foundups/simulator/memory/*/fam_audit.db',
    build: famAudit(2),
  },
  {
    path: 'modules/gamification/whack_a_magat/data/scores.db',
    kind: 'documented',
    pattern: 'modules/gamification/*/data/*.db',
    build: gameScores,
  },
  { path: 'modules/communication/livechat/data/cache.db', kind: 'undocumented', build: chatCache },
  {
    path: 'modules/ai_intelligence/pqn_alignment/data/pqn_results.sqlite',
    kind: 'undocumented',
    build: pqnResults,
  },
  { path: 'modules/communication/livechat/memory/chat_history.db', kind: 'undocumented', build: null },
  { path: 'node_modules/sqlite-test-fixtures/fixture.db', kind: 'ignored', build: fixture },
  { path: '.git/foundups-hooks/cache.db', kind: 'ignored', build: fixture },
];

/** Creates one satellite file at `file` (a temporary path the caller renames into place). */
export function writeSatellite(file: string, satellite: SatelliteFile, ctx: SatelliteContext): void {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = DELETE');
    satellite.build?.(db, ctx);
  } finally {
    db.close();
  }
}
