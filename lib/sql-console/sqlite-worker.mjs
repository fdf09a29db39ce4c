// The SQLite worker process (started by lib/sql-console/sqlite-process.ts with child_process.fork).
//
// better-sqlite3 is synchronous and SQLite has no way to interrupt a query from outside the thread
// running it (this build even omits the progress handler), so every read whose cost the operator
// controls — SQL console queries, table pages, exports, exact counts, integrity checks, satellite
// scans — runs here. The parent kills this process when a request overruns its time limit; the
// server's own event loop never waits on SQLite.
//
// Plain JavaScript on purpose: it starts with `node`, without a TypeScript loader, in ~100 ms.
// The parent sets SQLITE_USE_URI=1 so `file:…?immutable=1` URIs work (better-sqlite3 reads it once).
import fs from 'node:fs';
import Database from 'better-sqlite3';

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const BUSY_TIMEOUT_MS = 5000;
/** Longest text sent back for display; the expand view says how long the full value is. */
const DEFAULT_TEXT_LIMIT = 10_000;
const CONSOLE_KEYWORDS = new Set(['SELECT', 'WITH', 'EXPLAIN', 'VALUES']);

class RequestError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

function send(message) {
  if (process.send) process.send(message);
}

// ---------------------------------------------------------------------------------------------
// Opening files

/** Reads the 100-byte SQLite header without opening the file as a database. */
function readHeader(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(100);
    const read = fs.readSync(fd, header, 0, 100, 0);
    if (read < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null;
    const rawPageSize = header.readUInt16BE(16);
    return {
      pageSize: rawPageSize === 1 ? 65536 : rawPageSize,
      // File format write/read versions: 2 means WAL, 1 rollback journal.
      walMode: header[18] === 2 || header[19] === 2,
      pageCount: header.readUInt32BE(28),
      freelistPages: header.readUInt32BE(36),
      userVersion: header.readInt32BE(60),
      applicationId: header.readInt32BE(68),
      textEncoding: ['', 'UTF-8', 'UTF-16le', 'UTF-16be'][header.readUInt32BE(56)] ?? 'unknown',
    };
  } finally {
    fs.closeSync(fd);
  }
}

function exists(file) {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function fileUri(file, query) {
  // Percent-encode each path segment: '?', '#' and '%' in a folder name must not end the path.
  const encoded = file
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
  return `file:${encoded}?${query}`;
}

/**
 * How a file that belongs to someone else is opened, never creating -wal/-shm files and never taking
 * a lock its owner could wait on:
 * - a WAL database whose -wal and -shm exist (its owner has it open): `mode=ro`, a WAL reader through
 *   the existing shared memory — WAL readers never block the writer, and nothing is created;
 * - anything else (rollback journal, or a WAL database closed cleanly): `immutable=1`, which takes no
 *   locks and ignores journals, because even a read-only connection would create -wal/-shm files for a
 *   WAL database, and its SHARED lock would make the owner's COMMIT wait.
 */
function planSatelliteAccess(file, header) {
  const wal = exists(`${file}-wal`);
  const shm = exists(`${file}-shm`);
  const journal = exists(`${file}-journal`);
  if (header.walMode && wal && shm) {
    return { access: 'wal-reader', uri: fileUri(file, 'mode=ro'), wal, shm, journal };
  }
  return { access: 'immutable', uri: fileUri(file, 'immutable=1'), wal, shm, journal };
}

const readonlyConnections = new Map();

/** The console's own database: a plain read-only connection (its -wal/-shm exist while the server runs). */
function mainConnection(file) {
  let db = readonlyConnections.get(file);
  if (db && db.open) return db;
  if (!exists(file)) throw new RequestError(`The database file ${file} does not exist.`, 'ENOENT');
  db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Defence in depth: the connection is read-only already; query_only also refuses ATTACHed writes.
  db.pragma('query_only = 1');
  if (readonlyConnections.size > 4) {
    for (const conn of readonlyConnections.values()) conn.close();
    readonlyConnections.clear();
  }
  readonlyConnections.set(file, db);
  return db;
}

/** A satellite, opened per request (an immutable connection must not outlive the file's next write). */
function satelliteConnection(file) {
  const header = readHeader(file);
  if (!header) throw new RequestError(`${file} is not a SQLite database (no SQLite header).`, 'NOTADB');
  const plan = planSatelliteAccess(file, header);
  let db;
  try {
    db = new Database(plan.uri, { readonly: true, fileMustExist: true, timeout: 0 });
    db.pragma('query_only = 1');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db?.close();
    if (plan.access !== 'wal-reader') throw error;
    // The owner's shared memory could not be used (e.g. a crashed owner left it behind): fall back to
    // an immutable read of the main file.
    plan.access = 'immutable';
    plan.uri = fileUri(file, 'immutable=1');
    db = new Database(plan.uri, { readonly: true, fileMustExist: true, timeout: 0 });
    db.pragma('query_only = 1');
  }
  return { db, plan, header, close: () => db.close() };
}

function openTarget(target) {
  if (target.kind === 'main') return { db: mainConnection(target.file), close: () => undefined };
  if (target.kind === 'satellite') return satelliteConnection(target.file);
  throw new RequestError(`Unknown target kind ${String(target.kind)}.`, 'BAD_REQUEST');
}

// ---------------------------------------------------------------------------------------------
// Values

function plainInteger(value) {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** Display shape: BLOBs as their size, long text cut (with its full length), big integers exact. */
function displayValue(value, textLimit) {
  if (typeof value === 'bigint') return plainInteger(value);
  if (Buffer.isBuffer(value)) return { $blob: value.length };
  if (typeof value === 'string' && value.length > textLimit)
    return { $text: value.slice(0, textLimit), length: value.length };
  return value;
}

/** Export shape: everything, BLOBs as base64. */
function exportValue(value) {
  if (typeof value === 'bigint') return plainInteger(value);
  if (Buffer.isBuffer(value)) return { $base64: value.toString('base64') };
  return value;
}

function leadingKeyword(text) {
  let rest = text;
  for (;;) {
    const trimmed = rest.replace(/^[\s(]+/, '');
    if (trimmed.startsWith('--')) {
      const end = trimmed.indexOf('\n');
      rest = end < 0 ? '' : trimmed.slice(end + 1);
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/');
      rest = end < 0 ? '' : trimmed.slice(end + 2);
    } else {
      return (/^[A-Za-z]+/.exec(trimmed)?.[0] ?? '').toUpperCase();
    }
  }
}

/**
 * Console statements: one statement (better-sqlite3 refuses more), a read by SQLite's own judgement
 * (stmt.readonly and it returns rows), and a read keyword — ATTACH, DETACH, BEGIN and PRAGMA count as
 * "read-only" for sqlite3_stmt_readonly, so the keyword check is what refuses them.
 */
function checkConsoleStatement(stmt, text) {
  const keyword = leadingKeyword(text);
  if (!CONSOLE_KEYWORDS.has(keyword)) {
    throw new RequestError(
      `Only read statements run here (SELECT, WITH, EXPLAIN, VALUES); this one starts with ${keyword || 'nothing'}.`,
      'NOT_READ_ONLY',
    );
  }
  if (!stmt.readonly || !stmt.reader) {
    throw new RequestError(
      'SQLite reports that this statement would change the database; only read statements run here.',
      'NOT_READ_ONLY',
    );
  }
}

function prepare(db, text, consoleMode) {
  let stmt;
  try {
    stmt = db.prepare(text);
  } catch (error) {
    if (error instanceof RangeError && /more than one statement/.test(error.message)) {
      throw new RequestError(
        'Run one statement at a time: the text holds more than one statement.',
        'MULTIPLE_STATEMENTS',
      );
    }
    throw error;
  }
  if (consoleMode) checkConsoleStatement(stmt, text);
  if (!stmt.reader) throw new RequestError('This statement returns no rows.', 'NOT_A_READ');
  stmt.safeIntegers(true);
  return stmt;
}

// ---------------------------------------------------------------------------------------------
// Operations

function runStatements(message) {
  const { db, close } = openTarget(message.target);
  try {
    return message.statements.map((statement) => {
      const started = performance.now();
      const stmt = prepare(db, statement.sql, statement.console === true);
      stmt.raw(true);
      const columns = stmt.columns().map((column) => ({ name: column.name, type: column.type ?? null }));
      const maxRows = statement.maxRows ?? Number.MAX_SAFE_INTEGER;
      const textLimit = statement.textLimit ?? DEFAULT_TEXT_LIMIT;
      const rows = [];
      let truncated = false;
      for (const row of stmt.iterate(...(statement.params ?? []))) {
        if (rows.length >= maxRows) {
          truncated = true;
          break;
        }
        rows.push(row.map((value) => displayValue(value, textLimit)));
      }
      return { columns, rows, truncated, ms: Math.round(performance.now() - started) };
    });
  } finally {
    close();
  }
}

function inspectSatellite(message) {
  const file = message.file;
  const stat = fs.statSync(file);
  const header = stat.size >= 100 ? readHeader(file) : null;
  if (!header) return { sqlite: false, sizeBytes: stat.size };
  const connection = satelliteConnection(file);
  try {
    const { db, plan } = connection;
    const objects = db
      .prepare("SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
      .all()
      .slice(0, 500);
    const tables = [];
    for (const object of objects) {
      const virtual = typeof object.sql === 'string' && /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(object.sql);
      const entry = { name: object.name, type: virtual ? 'virtual' : object.type, rows: null, error: null };
      if (object.type === 'table') {
        try {
          const started = performance.now();
          const row = db.prepare(`SELECT count(*) AS n FROM "${object.name.replaceAll('"', '""')}"`).get();
          entry.rows = Number(row.n);
          entry.ms = Math.round(performance.now() - started);
        } catch (error) {
          entry.error = error.message;
        }
      }
      tables.push(entry);
      send({ id: message.id, op: 'progress', table: entry });
    }
    const names = new Set(tables.map((table) => table.name));
    const chroma =
      ['collections', 'embeddings', 'segments'].every((name) => names.has(name)) &&
      (names.has('embedding_metadata') || names.has('embeddings_queue'));
    return {
      sqlite: true,
      sizeBytes: stat.size,
      header,
      access: plan.access,
      walPresent: plan.wal,
      shmPresent: plan.shm,
      journalPresent: plan.journal,
      walBytes: plan.wal ? fs.statSync(`${file}-wal`).size : 0,
      tables,
      chroma,
    };
  } finally {
    connection.close();
  }
}

/** Streams a query's rows in batches; the parent asks for each next batch (backpressure). */
function startStream(message) {
  const { db, close } = openTarget(message.target);
  let iterator;
  try {
    const stmt = prepare(db, message.sql, message.console === true);
    stmt.raw(true);
    const columns = stmt.columns().map((column) => ({ name: column.name, type: column.type ?? null }));
    iterator = stmt.iterate(...(message.params ?? []));
    send({ id: message.id, op: 'columns', columns });
  } catch (error) {
    close();
    throw error;
  }
  const batchSize = message.batchSize ?? 1000;
  const maxRows = message.maxRows ?? Number.MAX_SAFE_INTEGER;
  let sent = 0;
  let capped = false;
  const finish = () => {
    streams.delete(message.id);
    try {
      iterator.return?.();
    } finally {
      close();
    }
  };
  const next = () => {
    const rows = [];
    let done = false;
    try {
      while (rows.length < batchSize) {
        if (sent >= maxRows) {
          capped = !iterator.next().done;
          done = true;
          break;
        }
        const step = iterator.next();
        if (step.done) {
          done = true;
          break;
        }
        rows.push(step.value.map(exportValue));
        sent += 1;
      }
    } catch (error) {
      finish();
      throw error;
    }
    if (rows.length) send({ id: message.id, op: 'batch', rows });
    if (done) {
      finish();
      send({ id: message.id, op: 'end', rows: sent, truncated: capped });
    }
  };
  streams.set(message.id, { next, cancel: finish });
  next();
}

const streams = new Map();

/** Maintenance of the console's own database that needs a writable connection (admin buttons). */
function maintain(message) {
  if (!exists(message.file))
    throw new RequestError(`The database file ${message.file} does not exist.`, 'ENOENT');
  const db = new Database(message.file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (message.action === 'analyze') {
      // analysis_limit keeps ANALYZE of a multi-GB file to a sample per index: it holds the write lock
      // for milliseconds instead of minutes, so the agents' writes are not kept waiting.
      db.pragma('analysis_limit = 1000');
      const started = performance.now();
      db.exec('ANALYZE');
      return { ms: Math.round(performance.now() - started) };
    }
    if (message.action === 'checkpoint') {
      const row = db.pragma('wal_checkpoint(TRUNCATE)')[0];
      return { busy: Number(row.busy), log: Number(row.log), checkpointed: Number(row.checkpointed) };
    }
    throw new RequestError(`Unknown maintenance action ${String(message.action)}.`, 'BAD_REQUEST');
  } finally {
    db.close();
  }
}

function errorPayload(error) {
  return {
    message: error instanceof Error ? error.message : String(error),
    code: typeof error?.code === 'string' ? error.code : undefined,
  };
}

process.on('message', (message) => {
  try {
    switch (message.op) {
      case 'query':
        send({ id: message.id, ok: true, result: runStatements(message) });
        break;
      case 'inspect':
        send({ id: message.id, ok: true, result: inspectSatellite(message) });
        break;
      case 'maintain':
        send({ id: message.id, ok: true, result: maintain(message) });
        break;
      case 'stream':
        startStream(message);
        break;
      case 'more':
        streams.get(message.id)?.next();
        break;
      case 'cancel':
        streams.get(message.id)?.cancel();
        break;
      default:
        send({
          id: message.id,
          ok: false,
          error: { message: `Unknown operation ${String(message.op)}.`, code: 'BAD_REQUEST' },
        });
    }
  } catch (error) {
    send({ id: message.id, ok: false, error: errorPayload(error) });
  }
});

// The parent going away (server stopped, test finished) ends this process too.
process.on('disconnect', () => process.exit(0));
send({ op: 'ready' });
