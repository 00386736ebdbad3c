/**
 * Writes one batch in one transaction with prepared statements. Runs inside the store worker;
 * nothing else opens the database for writing.
 */
import type Database from 'better-sqlite3';
import type { Batch } from './rows.js';
import { PRUNABLE_TABLES, type PrunableTable } from './worker-protocol.js';

export type WriteBatch = (batch: Batch) => void;

export function createBatchWriter(db: Database.Database): WriteBatch {
  const upsertStatus = db.prepare(`
    INSERT INTO bot_status (channel, pid, status, state, features_json, registered_at, last_seen,
      reason, version, host, heartbeat_interval_s, stale_after_ms, implicit, updated_at,
      process_start_time, duplicate_pid, crash_looping, restored)
    VALUES (@channel, @pid, @status, @state, @features_json, @registered_at, @last_seen,
      @reason, @version, @host, @heartbeat_interval_s, @stale_after_ms, @implicit, @updated_at,
      @process_start_time, @duplicate_pid, @crash_looping, @restored)
    ON CONFLICT(channel) DO UPDATE SET
      pid = excluded.pid, status = excluded.status, state = excluded.state,
      features_json = excluded.features_json, registered_at = excluded.registered_at,
      last_seen = excluded.last_seen, reason = excluded.reason, version = excluded.version,
      host = excluded.host, heartbeat_interval_s = excluded.heartbeat_interval_s,
      stale_after_ms = excluded.stale_after_ms, implicit = excluded.implicit,
      updated_at = excluded.updated_at, process_start_time = excluded.process_start_time,
      duplicate_pid = excluded.duplicate_pid, crash_looping = excluded.crash_looping,
      restored = excluded.restored
  `);
  const insertUsage = db.prepare(`
    INSERT INTO llm_usage (ts, channel, model, feature, tokens_in, tokens_out, latency_ms,
      estimated_cost, pid)
    VALUES (@ts, @channel, @model, @feature, @tokens_in, @tokens_out, @latency_ms,
      @estimated_cost, @pid)
  `);
  const insertMetric = db.prepare(`
    INSERT INTO bot_metrics (ts, channel, pid, rss_mb, cpu_pct, features_json, source)
    VALUES (@ts, @channel, @pid, @rss_mb, @cpu_pct, @features_json, @source)
  `);
  const insertEvent = db.prepare(`
    INSERT INTO bot_events (ts, channel, pid, from_state, to_state, reason)
    VALUES (@ts, @channel, @pid, @from_state, @to_state, @reason)
  `);

  return db.transaction((batch: Batch) => {
    for (const row of batch.events) insertEvent.run(row);
    for (const row of batch.usage) insertUsage.run(row);
    for (const row of batch.metrics) insertMetric.run(row);
    for (const row of batch.status) upsertStatus.run(row);
  });
}

export type Prune = (table: PrunableTable, before: string, limit: number) => number;

/** Deletes at most `limit` rows older than `before`, oldest first, so no delete runs long. */
export function createPruner(db: Database.Database): Prune {
  const statements = new Map(
    PRUNABLE_TABLES.map((table) => [
      table,
      db.prepare(
        `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ts < ? ORDER BY ts LIMIT ?)`,
      ),
    ]),
  );

  return (table, before, limit) => statements.get(table)!.run(before, limit).changes;
}
