/**
 * A batch as it crosses to the store worker: each row as the array of its statement's
 * parameters, in column order. Arrays of plain values clone faster than objects with named
 * properties, and the worker binds them as they come (docs/BENCHMARKS.md).
 */
import type { Batch, EventRow, MetricRow, SeenRow, StatusRow, UsageRow } from './rows.js';

type Value = string | number | null;

export interface BatchValues {
  status: Value[][];
  seen: Value[][];
  usage: Value[][];
  events: Value[][];
  metrics: Value[][];
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
  'process_start_time',
  'duplicate_pid',
  'crash_looping',
  'restored',
] as const satisfies readonly (keyof StatusRow)[];

/** The parameters of the `bot_status` update a seen row becomes: the two values, then the key. */
export const SEEN_COLUMNS = [
  'last_seen',
  'updated_at',
  'channel',
] as const satisfies readonly (keyof SeenRow)[];

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

export const METRIC_COLUMNS = [
  'ts',
  'channel',
  'pid',
  'rss_mb',
  'cpu_pct',
  'features_json',
  'source',
] as const satisfies readonly (keyof MetricRow)[];

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
  row.process_start_time,
  row.duplicate_pid,
  row.crash_looping,
  row.restored,
];

const seenValues = (row: SeenRow): Value[] => [row.last_seen, row.updated_at, row.channel];

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

const metricValues = (row: MetricRow): Value[] => [
  row.ts,
  row.channel,
  row.pid,
  row.rss_mb,
  row.cpu_pct,
  row.features_json,
  row.source,
];

export function toBatchValues(batch: Batch): BatchValues {
  return {
    status: batch.status.map(statusValues),
    seen: batch.seen.map(seenValues),
    usage: batch.usage.map(usageValues),
    events: batch.events.map(eventValues),
    metrics: batch.metrics.map(metricValues),
  };
}

export function countValueRows(values: BatchValues): number {
  const { status, seen, usage, events, metrics } = values;
  return status.length + seen.length + usage.length + events.length + metrics.length;
}
