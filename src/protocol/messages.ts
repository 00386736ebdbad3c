/**
 * Wire protocol v1: the one definition of every message a bot may send.
 *
 * The server validates with these schemas and the client SDK builds its lines from the same
 * types, so the two cannot drift apart. Fields are only ever added, and only as optional.
 */
import { z } from 'zod';
import {
  CHANNEL_PATTERN,
  MAX_FEATURES,
  MAX_HEARTBEAT_INTERVAL_S,
  MAX_PID,
  MAX_TEXT_LENGTH,
} from './limits.js';

export {
  CHANNEL_PATTERN,
  FORBIDDEN_KEYS,
  MAX_FEATURES,
  MAX_TEXT_LENGTH,
  PROTOCOL_VERSION,
} from './limits.js';

const channel = z.string().regex(CHANNEL_PATTERN);
const pid = z.number().int().positive().max(MAX_PID);
const text = z.string().max(MAX_TEXT_LENGTH);
const count = z.number().int().nonnegative();
const measure = z.number().nonnegative();

const features = z
  .record(z.string().min(1).max(MAX_TEXT_LENGTH), z.boolean())
  .refine((value) => Object.keys(value).length <= MAX_FEATURES, {
    message: `at most ${MAX_FEATURES} features`,
  });

export const registerSchema = z.object({
  type: z.literal('register'),
  channel,
  pid,
  features,
  version: text.optional(),
  host: text.optional(),
  heartbeat_interval_s: z.number().positive().max(MAX_HEARTBEAT_INTERVAL_S).optional(),
});

export const heartbeatSchema = z.object({
  type: z.literal('heartbeat'),
  channel,
  pid,
  rss_mb: measure.optional(),
  cpu_pct: measure.optional(),
  status: text.optional(),
});

export const unregisterSchema = z.object({
  type: z.literal('unregister'),
  channel,
  pid,
  reason: text.optional(),
});

export const llmUsageSchema = z.object({
  type: z.literal('llm_usage'),
  channel,
  model: text.min(1),
  feature: text.min(1),
  tokens_in: count,
  tokens_out: count,
  latency_ms: measure.optional(),
  estimated_cost: measure.optional(),
  pid: pid.optional(),
});

export type RegisterMessage = z.infer<typeof registerSchema>;
export type HeartbeatMessage = z.infer<typeof heartbeatSchema>;
export type UnregisterMessage = z.infer<typeof unregisterSchema>;
export type LlmUsageMessage = z.infer<typeof llmUsageSchema>;
export type Message = RegisterMessage | HeartbeatMessage | UnregisterMessage | LlmUsageMessage;
export type MessageType = Message['type'];

export const messageSchemas = {
  register: registerSchema,
  heartbeat: heartbeatSchema,
  unregister: unregisterSchema,
  llm_usage: llmUsageSchema,
} as const;
