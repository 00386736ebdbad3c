/**
 * The database schema and its migrations.
 *
 * The first migration accepts both an empty file and a database the KissBot monitor wrote: it
 * creates the legacy tables only if they are missing and adds kissmon's columns beside theirs,
 * so every query written against the old monitor keeps working.
 */
import type Database from 'better-sqlite3';
import { KissmonError, ServerErrorCode } from '../protocol/errors.js';

type Db = Database.Database;

interface Migration {
  version: number;
  describe: string;
  up: (db: Db) => void;
}

const LEGACY_TABLES = `
  CREATE TABLE IF NOT EXISTS bot_metrics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    channel TEXT NOT NULL,
    pid INTEGER NOT NULL,
    rss_mb REAL NOT NULL,
    cpu_pct REAL NOT NULL,
    features_json TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS bot_status (
    channel TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    status TEXT NOT NULL,
    features_json TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS llm_usage (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    channel TEXT NOT NULL,
    model TEXT NOT NULL,
    feature TEXT NOT NULL,
    tokens_in INTEGER NOT NULL,
    tokens_out INTEGER NOT NULL,
    latency_ms REAL
  );
  CREATE INDEX IF NOT EXISTS idx_bot_metrics_channel_ts ON bot_metrics(channel, ts);
  CREATE INDEX IF NOT EXISTS idx_llm_usage_channel_ts ON llm_usage(channel, ts);
`;

const BOT_EVENTS = `
  CREATE TABLE IF NOT EXISTS bot_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    channel TEXT NOT NULL,
    pid INTEGER NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS idx_bot_events_channel_ts ON bot_events(channel, ts);
  CREATE INDEX IF NOT EXISTS idx_llm_usage_ts ON llm_usage(ts);
`;

function addColumnIfMissing(db: Db, table: string, column: string, definition: string): void {
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  if (columns.some((existing) => existing.name === column)) return;

  db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
}

const migrations: Migration[] = [
  {
    version: 1,
    describe: 'KissBot tables, kissmon columns, bot_events',
    up(db) {
      db.exec(LEGACY_TABLES);
      addColumnIfMissing(db, 'bot_status', 'state', 'TEXT');
      addColumnIfMissing(db, 'bot_status', 'reason', 'TEXT');
      addColumnIfMissing(db, 'bot_status', 'version', 'TEXT');
      addColumnIfMissing(db, 'bot_status', 'host', 'TEXT');
      addColumnIfMissing(db, 'bot_status', 'heartbeat_interval_s', 'REAL');
      addColumnIfMissing(db, 'bot_status', 'stale_after_ms', 'INTEGER');
      addColumnIfMissing(db, 'bot_status', 'implicit', 'INTEGER NOT NULL DEFAULT 0');
      addColumnIfMissing(db, 'bot_status', 'updated_at', 'TEXT');
      addColumnIfMissing(db, 'llm_usage', 'estimated_cost', 'REAL');
      addColumnIfMissing(db, 'llm_usage', 'pid', 'INTEGER');
      db.exec(BOT_EVENTS);
    },
  },
  {
    version: 2,
    describe: 'process identity, duplicates, crash loops, restored bots, metric sources',
    up(db) {
      addColumnIfMissing(db, 'bot_status', 'process_start_time', 'INTEGER');
      addColumnIfMissing(db, 'bot_status', 'duplicate_pid', 'INTEGER');
      addColumnIfMissing(db, 'bot_status', 'crash_looping', 'INTEGER NOT NULL DEFAULT 0');
      addColumnIfMissing(db, 'bot_status', 'restored', 'INTEGER NOT NULL DEFAULT 0');
      addColumnIfMissing(db, 'bot_metrics', 'source', "TEXT NOT NULL DEFAULT 'probe'");
      db.exec('CREATE INDEX IF NOT EXISTS idx_bot_metrics_ts ON bot_metrics(ts)');
      db.exec('CREATE INDEX IF NOT EXISTS idx_bot_events_ts ON bot_events(ts)');
    },
  },
];

export const SCHEMA_VERSION = migrations.at(-1)!.version;

/** Brings the database up to SCHEMA_VERSION, one transaction per migration. */
export function migrate(db: Db): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new KissmonError(
      ServerErrorCode.schemaTooNew,
      `The database is at schema version ${from}, newer than this kissmon (${SCHEMA_VERSION}).`,
    );
  }

  for (const migration of migrations.filter((m) => m.version > from)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }

  return { from, to: SCHEMA_VERSION };
}
