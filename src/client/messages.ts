/**
 * The SDK's arguments turned into protocol v1 messages, typed by src/protocol/messages.ts so
 * the client cannot build a line the protocol does not define.
 */
import type {
  HeartbeatMessage,
  LlmUsageMessage,
  Message,
  RegisterMessage,
  UnregisterMessage,
} from '../protocol/messages.js';

/** What a bot can do, as the monitor records it in `features_json`. */
export type Features = Record<string, boolean>;

/** Optional facts a bot tells about itself when it registers. */
export interface RegisterDetails {
  version?: string;
  host?: string;
  /** Lets the monitor judge staleness by this bot's own rhythm. */
  heartbeatIntervalS?: number;
}

/** Optional readings a bot adds to a heartbeat. */
export interface HeartbeatDetails {
  rssMb?: number;
  cpuPct?: number;
  status?: string;
}

/** One LLM call, as it is recorded in the `llm_usage` table. */
export interface LlmUsage {
  model: string;
  feature: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs?: number;
  estimatedCost?: number;
}

export interface BotIdentity {
  channel: string;
  pid: number;
}

export function buildRegister(
  bot: BotIdentity,
  features: Features,
  details: RegisterDetails = {},
): RegisterMessage {
  return {
    type: 'register',
    channel: bot.channel,
    pid: bot.pid,
    features,
    version: details.version,
    host: details.host,
    heartbeat_interval_s: details.heartbeatIntervalS,
  };
}

export function buildHeartbeat(bot: BotIdentity, details: HeartbeatDetails = {}): HeartbeatMessage {
  return {
    type: 'heartbeat',
    channel: bot.channel,
    pid: bot.pid,
    rss_mb: details.rssMb,
    cpu_pct: details.cpuPct,
    status: details.status,
  };
}

export function buildUnregister(bot: BotIdentity, reason?: string): UnregisterMessage {
  return { type: 'unregister', channel: bot.channel, pid: bot.pid, reason };
}

export function buildLlmUsage(bot: BotIdentity, usage: LlmUsage): LlmUsageMessage {
  return {
    type: 'llm_usage',
    channel: bot.channel,
    model: usage.model,
    feature: usage.feature,
    tokens_in: usage.tokensIn,
    tokens_out: usage.tokensOut,
    latency_ms: usage.latencyMs,
    estimated_cost: usage.estimatedCost,
    pid: bot.pid,
  };
}

/** One message as its line on the wire, without the newline (absent fields are left out). */
export function encodeMessage(message: Message): string {
  return JSON.stringify(message);
}
