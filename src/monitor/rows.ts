/** Turns what the monitor knows into rows for the persistence actor. */
import type { BotContext, BotState } from '../../machines/bot.js';
import { LEGACY_STATUS } from '../../machines/bot.js';
import type { LlmUsageMessage } from '../protocol/messages.js';
import {
  formatTimestamp,
  type EventRow,
  type MetricRow,
  type SeenRow,
  type StatusRow,
  type UsageRow,
} from '../store/rows.js';

export function toStatusRow(
  context: BotContext,
  state: BotState,
  lastSeen: number,
  featuresJson: string,
  now: number,
): StatusRow {
  return {
    channel: context.channel,
    pid: context.pid,
    status: LEGACY_STATUS[state],
    state,
    features_json: featuresJson,
    registered_at: formatTimestamp(context.registeredAt),
    last_seen: formatTimestamp(lastSeen),
    reason: context.reason,
    version: context.version ?? null,
    host: context.host ?? null,
    heartbeat_interval_s: context.heartbeatIntervalS ?? null,
    stale_after_ms: context.staleAfterMs,
    implicit: context.implicit ? 1 : 0,
    updated_at: formatTimestamp(now),
    process_start_time: context.startTime ?? null,
    duplicate_pid: context.duplicatePid ?? null,
    crash_looping: context.crashLooping ? 1 : 0,
    restored: context.restored ? 1 : 0,
  };
}

export function toSeenRow(channel: string, lastSeen: number, now: number): SeenRow {
  return { channel, last_seen: formatTimestamp(lastSeen), updated_at: formatTimestamp(now) };
}

export function toEventRow(
  context: BotContext,
  from: BotState | null,
  to: BotState,
  now: number,
): EventRow {
  return {
    ts: formatTimestamp(now),
    channel: context.channel,
    pid: context.pid,
    from_state: from,
    to_state: to,
    reason: context.reason,
  };
}

export function toUsageRow(message: LlmUsageMessage, now: number): UsageRow {
  return {
    ts: formatTimestamp(now),
    channel: message.channel,
    model: message.model,
    feature: message.feature,
    tokens_in: message.tokens_in,
    tokens_out: message.tokens_out,
    latency_ms: message.latency_ms ?? null,
    estimated_cost: message.estimated_cost ?? null,
    pid: message.pid ?? null,
  };
}

export function toMetricRow(
  context: BotContext,
  sample: { pid: number; rssMb: number; cpuPct: number },
  source: MetricRow['source'],
  featuresJson: string,
  now: number,
): MetricRow {
  return {
    ts: formatTimestamp(now),
    channel: context.channel,
    pid: sample.pid,
    rss_mb: sample.rssMb,
    cpu_pct: sample.cpuPct,
    features_json: featuresJson,
    source,
  };
}
