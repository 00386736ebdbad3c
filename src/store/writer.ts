/**
 * Writes one batch in one transaction with prepared statements. Runs inside the store worker;
 * nothing else opens the database for writing.
 */
import type Database from 'better-sqlite3';
import { PRUNABLE_TABLES, type PrunableTable } from './worker-protocol.js';
import {
  EVENT_COLUMNS,
  METRIC_COLUMNS,
  SEEN_COLUMNS,
  STATUS_COLUMNS,
  USAGE_COLUMNS,
  type BatchValues,
} from './row-values.js';

export type WriteBatch = (values: BatchValues) => void;

const placeholders = (columns: readonly string[]) => columns.map(() => '?').join(', ');

// Parameters are bound by position from the arrays the main thread sent: better-sqlite3 binds
// named ones a good deal slower, and this is the store worker's hot loop.
export function createBatchWriter(db: Database.Database): WriteBatch {
  const upsertStatus = db.prepare(`
    INSERT INTO bot_status (${STATUS_COLUMNS.join(', ')})
    VALUES (${placeholders(STATUS_COLUMNS)})
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
  const [lastSeen, updatedAt, channel] = SEEN_COLUMNS;
  const updateSeen = db.prepare(
    `UPDATE bot_status SET ${lastSeen} = ?, ${updatedAt} = ? WHERE ${channel} = ?`,
  );
  const insertUsage = db.prepare(`
    INSERT INTO llm_usage (${USAGE_COLUMNS.join(', ')}) VALUES (${placeholders(USAGE_COLUMNS)})
  `);
  const insertMetric = db.prepare(`
    INSERT INTO bot_metrics (${METRIC_COLUMNS.join(', ')}) VALUES (${placeholders(METRIC_COLUMNS)})
  `);
  const insertEvent = db.prepare(`
    INSERT INTO bot_events (${EVENT_COLUMNS.join(', ')}) VALUES (${placeholders(EVENT_COLUMNS)})
  `);

  return db.transaction((values: BatchValues) => {
    for (const row of values.events) insertEvent.run(row);
    for (const row of values.usage) insertUsage.run(row);
    for (const row of values.metrics) insertMetric.run(row);
    for (const row of values.status) upsertStatus.run(row);
    // After the upserts: a seen row is always newer than a status row of the same batch.
    for (const row of values.seen) updateSeen.run(row);
  });
}

export type Prune = (table: PrunableTable, before: string, limit: number) => number;

/** Deletes at most `limit` rows older than `before`, oldest first, so no delete runs long. */
export function createPruner(db: Database.Database): Prune {
  const statements = new Map(
    PRUNABLE_TABLES.map((table) => [
      table,
      db.prepare(
        `DELETE FROM ${table} WHERE id IN ` +
          `(SELECT id FROM ${table} WHERE ts < ? ORDER BY ts LIMIT ?)`,
      ),
    ]),
  );

  return (table, before, limit) => statements.get(table)!.run(before, limit).changes;
}
