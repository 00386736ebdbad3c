/**
 * A batch as it crosses to the store worker: each row as the array of its statement's
 * parameters, in column order. Arrays of plain values clone faster than objects with named
 * properties, and the worker binds them as they come (docs/BENCHMARKS.md).
 */
import type { Batch, EventRow, StatusRow, UsageRow } from './rows.js';

type Value = string | number | null;

export interface BatchValues {
  status: Value[][];
  usage: Value[][];
  events: Value[][];
}

/** The columns of each table's statement, in the order of the values below. */
export const STATUS_COLUMNS = [
  'channel',
  'pid',
  'status',
  'state',
  'features_json',
  'registered_at',
  'last_seen',
  'reason',
  'version',
  'host',
  'heartbeat_interval_s',
  'stale_after_ms',
  'implicit',
  'updated_at',
] as const satisfies readonly (keyof StatusRow)[];

export const USAGE_COLUMNS = [
  'ts',
  'channel',
  'model',
  'feature',
  'tokens_in',
  'tokens_out',
  'latency_ms',
  'estimated_cost',
  'pid',
] as const satisfies readonly (keyof UsageRow)[];

export const EVENT_COLUMNS = [
  'ts',
  'channel',
  'pid',
  'from_state',
  'to_state',
  'reason',
] as const satisfies readonly (keyof EventRow)[];

// Spelled out rather than mapped over the column lists: this runs once per row.
const statusValues = (row: StatusRow): Value[] => [
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
];

const usageValues = (row: UsageRow): Value[] => [
  row.ts,
  row.channel,
  row.model,
  row.feature,
  row.tokens_in,
  row.tokens_out,
  row.latency_ms,
  row.estimated_cost,
  row.pid,
];

const eventValues = (row: EventRow): Value[] => [
  row.ts,
  row.channel,
  row.pid,
  row.from_state,
  row.to_state,
  row.reason,
];

export function toBatchValues(batch: Batch): BatchValues {
  return {
    status: batch.status.map(statusValues),
    usage: batch.usage.map(usageValues),
    events: batch.events.map(eventValues),
  };
}

export function countValueRows(values: BatchValues): number {
  return values.status.length + values.usage.length + values.events.length;
}
