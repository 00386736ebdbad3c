/**
 * Writes one batch in one transaction with prepared statements. Runs inside the store worker;
 * nothing else opens the database for writing.
 */
import type Database from 'better-sqlite3';
import type { Batch } from './rows.js';

export type WriteBatch = (batch: Batch) => void;

export function createBatchWriter(db: Database.Database): WriteBatch {
  const upsertStatus = db.prepare(`
    INSERT INTO bot_status (channel, pid, status, state, features_json, registered_at, last_seen,
      reason, version, host, heartbeat_interval_s, stale_after_ms, implicit, updated_at)
    VALUES (@channel, @pid, @status, @state, @features_json, @registered_at, @last_seen,
      @reason, @version, @host, @heartbeat_interval_s, @stale_after_ms, @implicit, @updated_at)
    ON CONFLICT(channel) DO UPDATE SET
      pid = excluded.pid, status = excluded.status, state = excluded.state,
      features_json = excluded.features_json, registered_at = excluded.registered_at,
      last_seen = excluded.last_seen, reason = excluded.reason, version = excluded.version,
      host = excluded.host, heartbeat_interval_s = excluded.heartbeat_interval_s,
      stale_after_ms = excluded.stale_after_ms, implicit = excluded.implicit,
      updated_at = excluded.updated_at
  `);
  const insertUsage = db.prepare(`
    INSERT INTO llm_usage (ts, channel, model, feature, tokens_in, tokens_out, latency_ms,
      estimated_cost, pid)
    VALUES (@ts, @channel, @model, @feature, @tokens_in, @tokens_out, @latency_ms,
      @estimated_cost, @pid)
  `);
  const insertEvent = db.prepare(`
    INSERT INTO bot_events (ts, channel, pid, from_state, to_state, reason)
    VALUES (@ts, @channel, @pid, @from_state, @to_state, @reason)
  `);

  return db.transaction((batch: Batch) => {
    for (const row of batch.events) insertEvent.run(row);
    for (const row of batch.usage) insertUsage.run(row);
    for (const row of batch.status) upsertStatus.run(row);
  });
}
