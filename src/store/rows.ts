/**
 * The rows kissmon writes, shaped like the tables they go into, and the batch that carries them
 * from the monitor to the persistence actor.
 */

/** One row of `bot_status`: the latest word on a bot, upserted by channel. */
export interface StatusRow {
  channel: string;
  pid: number;
  status: string;
  state: string;
  features_json: string;
  registered_at: string;
  last_seen: string;
  reason: string;
  version: string | null;
  host: string | null;
  heartbeat_interval_s: number | null;
  stale_after_ms: number;
  implicit: 0 | 1;
  updated_at: string;
  process_start_time: number | null;
  duplicate_pid: number | null;
  crash_looping: 0 | 1;
  restored: 0 | 1;
}

/**
 * A heartbeat's whole mark on `bot_status` while its bot stays alive: `last_seen` and
 * `updated_at` of the bot's row, which a status row in the same or an earlier batch created.
 */
export interface SeenRow {
  channel: string;
  last_seen: string;
  updated_at: string;
}

/** One row of `llm_usage`. */
export interface UsageRow {
  ts: string;
  channel: string;
  model: string;
  feature: string;
  tokens_in: number;
  tokens_out: number;
  latency_ms: number | null;
  estimated_cost: number | null;
  pid: number | null;
}

/** One row of `bot_metrics`: a CPU and memory sample, from the probe or the bot itself. */
export interface MetricRow {
  ts: string;
  channel: string;
  pid: number;
  rss_mb: number;
  cpu_pct: number;
  features_json: string;
  source: 'probe' | 'self';
}

/** One row of `bot_events`: a lifecycle transition. */
export interface EventRow {
  ts: string;
  channel: string;
  pid: number;
  from_state: string | null;
  to_state: string;
  reason: string;
}

/** What the monitor hands the persistence actor once per mailbox slice. */
export interface Batch {
  status: StatusRow[];
  seen: SeenRow[];
  usage: UsageRow[];
  events: EventRow[];
  metrics: MetricRow[];
}

export function emptyBatch(): Batch {
  return { status: [], seen: [], usage: [], events: [], metrics: [] };
}

export function countRows(batch: Batch): number {
  const { status, seen, usage, events, metrics } = batch;
  return status.length + seen.length + usage.length + events.length + metrics.length;
}

/** Reads back a timestamp written by formatTimestamp (or by the KissBot monitor). */
export function parseTimestamp(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

// Every row of one mailbox slice carries the same instant, so the last text is kept; a new
// instant within the same second only needs its milliseconds. Formatting each row with
// `toISOString` was 8 % of the ingest thread in a flood (docs/BENCHMARKS.md).
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));
let lastMs = Number.NaN;
let lastText = '';
let secondStart = Number.NaN;
let secondText = '';

/**
 * Formats epoch milliseconds the way the KissBot monitor wrote its timestamps (Python's
 * `datetime.isoformat()` in UTC), so old and new rows sort and compare together.
 */
export function formatTimestamp(ms: number): string {
  if (ms === lastMs) return lastText;

  const whole = Math.floor(ms);
  const second = whole - (((whole % 1000) + 1000) % 1000);
  if (second !== secondStart) {
    secondStart = second;
    secondText = new Date(second).toISOString().slice(0, 19);
  }
  lastMs = ms;
  lastText = `${secondText}.${MILLIS[whole - second]}000+00:00`;
  return lastText;
}
