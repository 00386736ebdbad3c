import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../src/store/schema.js';
import { ServerErrorCode } from '../../src/protocol/errors.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// The tables exactly as the KissBot monitor created them, with a row in each.
const KISSBOT_SCHEMA = `
  CREATE TABLE bot_metrics (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL,
    channel TEXT NOT NULL, pid INTEGER NOT NULL, rss_mb REAL NOT NULL, cpu_pct REAL NOT NULL,
    features_json TEXT NOT NULL);
  CREATE TABLE bot_status (channel TEXT PRIMARY KEY, pid INTEGER NOT NULL, status TEXT NOT NULL,
    features_json TEXT NOT NULL, registered_at TEXT NOT NULL, last_seen TEXT NOT NULL);
  CREATE TABLE llm_usage (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL,
    channel TEXT NOT NULL, model TEXT NOT NULL, feature TEXT NOT NULL,
    tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, latency_ms REAL);
  INSERT INTO bot_status VALUES ('old_bot', 77, 'online', '{"llm": true}',
    '2025-01-01T00:00:00.000000+00:00', '2025-01-01T00:05:00.000000+00:00');
  INSERT INTO llm_usage (ts, channel, model, feature, tokens_in, tokens_out, latency_ms)
    VALUES ('2025-01-01T00:01:00.000000+00:00', 'old_bot', 'gpt', 'chat', 10, 20, 300);
  INSERT INTO bot_metrics (ts, channel, pid, rss_mb, cpu_pct, features_json)
    VALUES ('2025-01-01T00:01:00.000000+00:00', 'old_bot', 77, 50.5, 1.5, '{}');
`;

describe('schema migrations', () => {
  const dir = makeTempDir();
  let db: Database.Database;
  afterEach(() => db?.close());

  const columns = (table: string) =>
    (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

  it('creates every table on an empty database and records the version', () => {
    db = new Database(dir.file('fresh.db'));
    expect(migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(columns('bot_events')).toEqual([
      'id',
      'ts',
      'channel',
      'pid',
      'from_state',
      'to_state',
      'reason',
    ]);
  });

  it('keeps a KissBot database and its rows, adding columns beside the old ones', () => {
    db = new Database(dir.file('kissbot.db'));
    db.exec(KISSBOT_SCHEMA);
    migrate(db);

    expect(columns('bot_status').slice(0, 6)).toEqual([
      'channel',
      'pid',
      'status',
      'features_json',
      'registered_at',
      'last_seen',
    ]);
    expect(columns('bot_status')).toContain('state');
    expect(columns('llm_usage')).toContain('estimated_cost');
    expect(db.prepare("SELECT status FROM bot_status WHERE channel = 'old_bot'").get()).toEqual({
      status: 'online',
    });
    expect(
      db.prepare('SELECT channel, SUM(tokens_in) AS t FROM llm_usage GROUP BY channel').all(),
    ).toEqual([{ channel: 'old_bot', t: 10 }]);
  });

  it('runs each migration once', () => {
    db = new Database(dir.file('twice.db'));
    migrate(db);
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
  });

  it('refuses a database from a newer kissmon', () => {
    db = new Database(dir.file('newer.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(
      expect.objectContaining({ code: ServerErrorCode.schemaTooNew }),
    );
  });
});
