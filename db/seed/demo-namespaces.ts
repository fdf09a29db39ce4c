import type { Database } from '../database';
import { type ColumnSpec, FoundUpDB, ModuleDB } from '../namespaces';
import type { Prng } from './random';
import { YOUTUBE_ID_ALPHABET } from './random';
import { pyJson, sqliteTimestamp } from './python-formats';
import { FIRST_NAMES, LAST_NAMES } from './vocabulary';
import type { TableRows } from './writers';

/**
 * The protocol's own namespace examples (SCHEMA.md): the chat_rules module's tables and the
 * youtube_bot FoundUp's tables, created through the namespace helpers so their DDL is the helpers'.
 */

const MODERATORS: Record<string, ColumnSpec> = {
  id: { type: 'TEXT', primaryKey: true },
  name: { type: 'TEXT' },
  points: { type: 'INTEGER' },
  data: { type: 'JSON' },
};
const TIMEOUTS: Record<string, ColumnSpec> = {
  id: { type: 'INTEGER', autoincrement: true },
  mod_id: { type: 'TEXT' },
  target: { type: 'TEXT' },
  duration: { type: 'INTEGER' },
  timestamp: { type: 'DATETIME', default: { currentTimestamp: true } },
};
const USERS: Record<string, ColumnSpec> = {
  id: { type: 'TEXT', primaryKey: true },
  username: { type: 'TEXT' },
  created_at: { type: 'DATETIME', default: { currentTimestamp: true } },
};
const CONTENT: Record<string, ColumnSpec> = {
  id: { type: 'INTEGER', autoincrement: true },
  user_id: { type: 'TEXT' },
  content: { type: 'TEXT' },
  metadata: { type: 'JSON' },
};

export const CHAT_RULES_MODULE = 'chat_rules';
export const YOUTUBE_BOT_PROJECT = 'youtube_bot';

/** Table names of the namespace examples, as the helpers build them. */
export function namespaceTableNames(db: Database) {
  const chatRules = new ModuleDB(db, CHAT_RULES_MODULE);
  const youtubeBot = new FoundUpDB(db, YOUTUBE_BOT_PROJECT);
  return {
    moderators: chatRules.tableName('moderators'),
    timeouts: chatRules.tableName('timeouts'),
    users: youtubeBot.tableName('users'),
    content: youtubeBot.tableName('content'),
  };
}

/** CREATE TABLE IF NOT EXISTS for the four example tables. */
export async function createNamespaceTables(db: Database): Promise<string[]> {
  const chatRules = new ModuleDB(db, CHAT_RULES_MODULE);
  const youtubeBot = new FoundUpDB(db, YOUTUBE_BOT_PROJECT);
  return [
    await chatRules.createTable('moderators', MODERATORS),
    await chatRules.createTable('timeouts', TIMEOUTS),
    await youtubeBot.createTable('users', USERS),
    await youtubeBot.createTable('content', CONTENT),
  ];
}

export function namespaceRows(db: Database, rng: Prng, now: Date, volume: number): TableRows[] {
  const names = namespaceTableNames(db);
  const nowMs = now.getTime();
  const channel = () => `UC${rng.chars(YOUTUBE_ID_ALPHABET, 22)}`;
  const username = () =>
    `${rng.pick(FIRST_NAMES)}${rng.pick(LAST_NAMES)}${rng.chance(0.5) ? rng.int(1, 999) : ''}`;
  const moderators = Array.from({ length: 12 }, (_, i) => {
    const name = username();
    return [
      channel(),
      name,
      rng.int(0, 5000),
      pyJson({
        level: rng.pick(['bronze', 'silver', 'gold']),
        timeouts_issued: rng.int(0, 400),
        since: sqliteTimestamp(new Date(nowMs - (i + 1) * 20 * 86_400_000)),
      }),
    ];
  });
  const users = Array.from({ length: 150 }, () => [
    channel(),
    username(),
    sqliteTimestamp(new Date(nowMs - rng.int(60, 200 * 86_400) * 1000)),
  ]);
  const timeouts = Array.from(
    { length: Math.max(20, Math.round(300 * volume)) },
    () => nowMs - rng.int(60, 14 * 86_400) * 1000,
  )
    .sort((a, b) => a - b)
    .map((at) => [
      rng.pick(moderators)[0],
      rng.pick(users)[0],
      rng.pick([10, 60, 300, 300, 86_400]),
      sqliteTimestamp(new Date(at)),
    ]);
  const content = Array.from({ length: Math.max(30, Math.round(400 * volume)) }, () => {
    const kind = rng.pick(['quiz_answer', 'banter', 'magadoom_score', 'command']);
    return [
      rng.pick(users)[0],
      kind === 'command'
        ? rng.pick(['/score', '/rank', '/whacks', '/quiz', '/help'])
        : kind === 'banter'
          ? rng.pick(['✊✋🖐', 'gg', 'who is 012?', 'FoundUps > VC'])
          : `${kind}:${rng.int(1, 500)}`,
      rng.chance(0.2)
        ? null
        : pyJson({ kind, stream: rng.chars(YOUTUBE_ID_ALPHABET, 11), points: rng.int(0, 50) }),
    ];
  });
  return [
    { table: names.moderators, columns: ['id', 'name', 'points', 'data'], rows: moderators },
    { table: names.timeouts, columns: ['mod_id', 'target', 'duration', 'timestamp'], rows: timeouts },
    { table: names.users, columns: ['id', 'username', 'created_at'], rows: users },
    { table: names.content, columns: ['user_id', 'content', 'metadata'], rows: content },
  ];
}
