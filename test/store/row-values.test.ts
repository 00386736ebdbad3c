import { describe, expect, it } from 'vitest';
import {
  EVENT_COLUMNS,
  METRIC_COLUMNS,
  SEEN_COLUMNS,
  STATUS_COLUMNS,
  USAGE_COLUMNS,
  countValueRows,
  toBatchValues,
} from '../../src/store/row-values.js';
import type { EventRow, MetricRow, SeenRow, StatusRow, UsageRow } from '../../src/store/rows.js';

const status: StatusRow = {
  channel: 'bot_a',
  pid: 42,
  status: 'online',
  state: 'alive',
  features_json: '{"chat":true}',
  registered_at: '2026-12-03T16:43:34.447000+00:00',
  last_seen: '2026-12-03T16:43:35.447000+00:00',
  reason: 'heartbeat',
  version: '1.0.0',
  host: null,
  heartbeat_interval_s: 5,
  stale_after_ms: 20_000,
  implicit: 0,
  updated_at: '2026-12-03T16:43:35.500000+00:00',
  process_start_time: 123_456,
  duplicate_pid: 43,
  crash_looping: 1,
  restored: 0,
};
const seen: SeenRow = {
  channel: 'alpha',
  last_seen: '2026-12-03T12:00:01.000000+00:00',
  updated_at: '2026-12-03T12:00:01.000000+00:00',
};

const metric: MetricRow = {
  ts: '2026-12-03T16:43:34.447000+00:00',
  channel: 'bot_a',
  pid: 42,
  rss_mb: 48.5,
  cpu_pct: 1.25,
  features_json: '{"chat":true}',
  source: 'probe',
};
const usage: UsageRow = {
  ts: '2026-12-03T16:43:34.447000+00:00',
  channel: 'bot_a',
  model: 'gpt-4o-mini',
  feature: 'chat',
  tokens_in: 120,
  tokens_out: 40,
  latency_ms: null,
  estimated_cost: 0.0002,
  pid: 42,
};
const event: EventRow = {
  ts: '2026-12-03T16:43:34.447000+00:00',
  channel: 'bot_a',
  pid: 42,
  from_state: null,
  to_state: 'registered',
  reason: 'registered',
};

describe('toBatchValues', () => {
  it('names every column of every row kind, so no field is left behind', () => {
    expect([...STATUS_COLUMNS].sort()).toEqual(Object.keys(status).sort());
    expect([...SEEN_COLUMNS].sort()).toEqual(Object.keys(seen).sort());
    expect([...USAGE_COLUMNS].sort()).toEqual(Object.keys(usage).sort());
    expect([...EVENT_COLUMNS].sort()).toEqual(Object.keys(event).sort());
    expect([...METRIC_COLUMNS].sort()).toEqual(Object.keys(metric).sort());
  });

  it('turns each row into its values in the order of its column list, nulls kept', () => {
    const batch = {
      status: [status],
      seen: [seen],
      usage: [usage, usage],
      events: [event],
      metrics: [metric],
    };
    const values = toBatchValues(batch);

    expect(values.status).toEqual([STATUS_COLUMNS.map((column) => status[column])]);
    expect(values.seen).toEqual([SEEN_COLUMNS.map((column) => seen[column])]);
    expect(values.usage).toEqual([
      USAGE_COLUMNS.map((column) => usage[column]),
      USAGE_COLUMNS.map((column) => usage[column]),
    ]);
    expect(values.events).toEqual([EVENT_COLUMNS.map((column) => event[column])]);
    expect(values.metrics).toEqual([METRIC_COLUMNS.map((column) => metric[column])]);
    expect(values.usage[0]).toContain(null);
    expect(countValueRows(values)).toBe(6);
  });
});
