import type { Dialect } from '@/db/database';

/**
 * The SQL console's first line of defence, for both dialects: exactly one statement, and it must start
 * with a read keyword. It is not the only one — SQLite statements also have to pass SQLite's own
 * read-only verdict on a read-only connection (lib/sql-console/sqlite-worker.mjs), and PostgreSQL ones
 * run in a READ ONLY transaction with a statement timeout — but it gives the clear refusal.
 */

export const READ_KEYWORDS = ['SELECT', 'WITH', 'EXPLAIN', 'VALUES'] as const;
export const MAX_STATEMENT_LENGTH = 100_000;

/**
 * PostgreSQL functions that act even inside a READ ONLY transaction (signal backends, reload the
 * configuration, take advisory locks, read server files, notify listeners, change settings).
 */
const PG_FORBIDDEN_FUNCTIONS = new Set([
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_promote',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'lo_import',
  'lo_export',
  'pg_notify',
  'set_config',
  'dblink',
  'dblink_exec',
  'pg_logical_emit_message',
]);

/** Words that only appear in writing statements (or SELECT … FOR UPDATE); replace(…) the function is fine. */
const WRITE_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'MERGE', 'UPSERT', 'TRUNCATE']);

export type StatementRefusal =
  'EMPTY' | 'TOO_LONG' | 'UNTERMINATED' | 'MULTIPLE_STATEMENTS' | 'NOT_READ_ONLY' | 'FORBIDDEN_FUNCTION';

export type StatementCheck =
  | {
      ok: true;
      /** The statement without trailing semicolons and comments. */ sql: string;
      keyword: (typeof READ_KEYWORDS)[number];
    }
  | { ok: false; code: StatementRefusal; message: string };

interface Token {
  kind: 'word' | 'symbol' | 'string' | 'identifier' | 'number' | 'parameter';
  text: string;
  start: number;
  end: number;
}

class UnterminatedError extends Error {}

/** Splits SQL into tokens, skipping whitespace and comments; strings and quoted names stay whole. */
function tokenize(text: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  const until = (close: string, from: number, doubled: boolean): number => {
    let j = from;
    for (;;) {
      const at = text.indexOf(close, j);
      if (at < 0) throw new UnterminatedError(close);
      if (doubled && text.startsWith(close, at + 1)) {
        j = at + 2;
        continue;
      }
      return at + close.length;
    }
  };
  while (i < n) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      // PostgreSQL nests block comments; SQLite does not (a nested opener is just text there).
      let depth = 1;
      let j = i + 2;
      while (depth > 0) {
        const close = text.indexOf('*/', j);
        if (close < 0) throw new UnterminatedError('*/');
        const open = dialect === 'postgres' ? text.indexOf('/*', j) : -1;
        if (open >= 0 && open < close) {
          depth++;
          j = open + 2;
        } else {
          depth--;
          j = close + 2;
        }
      }
      i = j;
    } else if (c === "'") {
      const end = until("'", i + 1, true);
      tokens.push({ kind: 'string', text: text.slice(i, end), start: i, end });
      i = end;
    } else if ((c === 'E' || c === 'e') && text[i + 1] === "'" && dialect === 'postgres') {
      // E'...' strings: backslash escapes a quote.
      let j = i + 2;
      for (;;) {
        if (j >= n) throw new UnterminatedError("'");
        if (text[j] === '\\') j += 2;
        else if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      tokens.push({ kind: 'string', text: text.slice(i, j + 1), start: i, end: j + 1 });
      i = j + 1;
    } else if (c === '"') {
      const end = until('"', i + 1, true);
      tokens.push({ kind: 'identifier', text: text.slice(i, end), start: i, end });
      i = end;
    } else if (c === '`' && dialect === 'sqlite') {
      const end = until('`', i + 1, true);
      tokens.push({ kind: 'identifier', text: text.slice(i, end), start: i, end });
      i = end;
    } else if (c === '[' && dialect === 'sqlite') {
      const end = until(']', i + 1, false);
      tokens.push({ kind: 'identifier', text: text.slice(i, end), start: i, end });
      i = end;
    } else if (
      c === '$' &&
      dialect === 'postgres' &&
      /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(text.slice(i, i + 66))
    ) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 66))![0];
      const close = text.indexOf(tag, i + tag.length);
      if (close < 0) throw new UnterminatedError(tag);
      tokens.push({
        kind: 'string',
        text: text.slice(i, close + tag.length),
        start: i,
        end: close + tag.length,
      });
      i = close + tag.length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9.eE_xXa-fA-F]/.test(text[j]!)) j++;
      tokens.push({ kind: 'number', text: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (
      c === '?' ||
      ((c === ':' || c === '@' || c === '$') && /[A-Za-z0-9_]/.test(text[i + 1] ?? ''))
    ) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      tokens.push({ kind: 'parameter', text: text.slice(i, j), start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: 'symbol', text: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

export function checkReadStatement(input: string, dialect: Dialect): StatementCheck {
  if (input.length > MAX_STATEMENT_LENGTH) {
    return {
      ok: false,
      code: 'TOO_LONG',
      message: `The statement is ${input.length.toLocaleString('en-US')} characters long; the console takes at most ${MAX_STATEMENT_LENGTH.toLocaleString('en-US')}.`,
    };
  }
  let tokens: Token[];
  try {
    tokens = tokenize(input, dialect);
  } catch (error) {
    if (error instanceof UnterminatedError) {
      return {
        ok: false,
        code: 'UNTERMINATED',
        message: `The statement has an unterminated ${error.message === '*/' ? 'comment' : `quote (${error.message})`}.`,
      };
    }
    throw error;
  }
  // Trailing semicolons are fine; anything after the first one is a second statement.
  const firstSemicolon = tokens.findIndex((token) => token.kind === 'symbol' && token.text === ';');
  const statement = firstSemicolon < 0 ? tokens : tokens.slice(0, firstSemicolon);
  const rest = firstSemicolon < 0 ? [] : tokens.slice(firstSemicolon);
  if (statement.length === 0) {
    return rest.length
      ? { ok: false, code: 'EMPTY', message: 'The text starts with a semicolon; write one statement.' }
      : { ok: false, code: 'EMPTY', message: 'Write a statement to run.' };
  }
  if (rest.some((token) => !(token.kind === 'symbol' && token.text === ';'))) {
    return {
      ok: false,
      code: 'MULTIPLE_STATEMENTS',
      message: 'Run one statement at a time: the text holds more than one statement.',
    };
  }
  const first = statement.find((token) => !(token.kind === 'symbol' && token.text === '('));
  const keyword = first?.kind === 'word' ? first.text.toUpperCase() : '';
  if (!(READ_KEYWORDS as readonly string[]).includes(keyword)) {
    return {
      ok: false,
      code: 'NOT_READ_ONLY',
      message: `Only read statements run here (SELECT, WITH, EXPLAIN, VALUES); this one starts with ${keyword || first?.text || 'nothing'}.${
        keyword === 'PRAGMA'
          ? " Read pragmas through their table-valued functions, e.g. SELECT * FROM pragma_table_info('agents_social_posts')."
          : ''
      }`,
    };
  }
  // A write can hide behind a read keyword: WITH x AS (...) DELETE ..., or a data-modifying CTE.
  for (let i = 0; i < statement.length; i++) {
    const token = statement[i]!;
    const next = statement[i + 1];
    if (
      token.kind === 'word' &&
      WRITE_WORDS.has(token.text.toUpperCase()) &&
      !(next?.kind === 'symbol' && next.text === '(')
    ) {
      return {
        ok: false,
        code: 'NOT_READ_ONLY',
        message: `This statement writes (${token.text.toUpperCase()}); only read statements run here.`,
      };
    }
  }
  if (dialect === 'postgres') {
    for (let i = 0; i < statement.length - 1; i++) {
      const token = statement[i]!;
      const next = statement[i + 1]!;
      const name =
        token.kind === 'word'
          ? token.text.toLowerCase()
          : token.kind === 'identifier'
            ? token.text.slice(1, -1)
            : '';
      if (name && next.kind === 'symbol' && next.text === '(' && PG_FORBIDDEN_FUNCTIONS.has(name)) {
        return {
          ok: false,
          code: 'FORBIDDEN_FUNCTION',
          message: `${name}() acts on the server even in a read-only transaction, so the console does not run it.`,
        };
      }
    }
  }
  const last = statement[statement.length - 1]!;
  return {
    ok: true,
    sql: input.slice(statement[0]!.start, last.end),
    keyword: keyword as (typeof READ_KEYWORDS)[number],
  };
}
