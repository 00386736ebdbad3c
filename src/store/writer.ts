/**
 * Writes one batch in one transaction with prepared statements. Runs inside the store worker;
 * nothing else opens the database for writing.
 */
import type Database from 'better-sqlite3';
import type { Batch, EventRow, StatusRow, UsageRow } from './rows.js';

export type WriteBatch = (batch: Batch) => void;

// Parameters are bound by position: better-sqlite3 binds named ones a good deal slower, and
// this is the store worker's hot loop (see docs/BENCHMARKS.md).
const statusValues = (row: StatusRow) =>
  [
    row.channel,
    row.pid,
    row.status,
    row.state,
    row.features_json,
    row.registered_at,
    row.last_seen,
    row.reason,
    row.version,
    row.host,
    row.heartbeat_interval_s,
    row.stale_after_ms,
    row.implicit,
    row.updated_at,
  ] as const;

const usageValues = (row: UsageRow) =>
  [
    row.ts,
    row.channel,
    row.model,
    row.feature,
    row.tokens_in,
    row.tokens_out,
    row.latency_ms,
    row.estimated_cost,
    row.pid,
  ] as const;

const eventValues = (row: EventRow) =>
  [row.ts, row.channel, row.pid, row.from_state, row.to_state, row.reason] as const;

export function createBatchWriter(db: Database.Database): WriteBatch {
  const upsertStatus = db.prepare(`
    INSERT INTO bot_status (channel, pid, status, state, features_json, registered_at, last_seen,
      reason, version, host, heartbeat_interval_s, stale_after_ms, implicit, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  `);
  const insertEvent = db.prepare(`
    INSERT INTO bot_events (ts, channel, pid, from_state, to_state, reason)
    VALUES (?, ?, ?, ?, ?, ?)
  `);

  return db.transaction((batch: Batch) => {
    for (const row of batch.events) insertEvent.run(...eventValues(row));
    for (const row of batch.usage) insertUsage.run(...usageValues(row));
    for (const row of batch.status) upsertStatus.run(...statusValues(row));
  });
}
