/**
 * The fast path for the two messages that arrive by the thousand, `heartbeat` and `llm_usage`:
 * plain checks that accept only what their schemas in messages.ts accept, and build the same
 * message from it. Whatever they do not accept (every rejection among it) goes on to the
 * schemas, which decide and give the error code. Validating with zod was a fifth of the ingest
 * thread's time in a usage flood (docs/BENCHMARKS.md).
 */
import {
  CHANNEL_PATTERN,
  MAX_TEXT_LENGTH,
  type HeartbeatMessage,
  type LlmUsageMessage,
} from './messages.js';

type Check = (value: unknown) => boolean;

/** A field's name, its check, and whether the message needs it. */
export type FastField = readonly [name: string, check: Check, required: boolean];

const MAX_PID = 2 ** 31 - 1;

const isChannel: Check = (value) => typeof value === 'string' && CHANNEL_PATTERN.test(value);
const isPid: Check = (value) =>
  Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_PID;
const isText: Check = (value) => typeof value === 'string' && value.length <= MAX_TEXT_LENGTH;
const isName: Check = (value) => isText(value) && (value as string).length > 0;
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isMeasure: Check = (value) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** The fields of each fast-path message, in the order of its schema. */
export const FAST_FIELDS: Readonly<Record<'heartbeat' | 'llm_usage', readonly FastField[]>> = {
  heartbeat: [
    ['channel', isChannel, true],
    ['pid', isPid, true],
    ['rss_mb', isMeasure, false],
    ['cpu_pct', isMeasure, false],
    ['status', isText, false],
  ],
  llm_usage: [
    ['channel', isChannel, true],
    ['model', isName, true],
    ['feature', isName, true],
    ['tokens_in', isCount, true],
    ['tokens_out', isCount, true],
    ['latency_ms', isMeasure, false],
    ['estimated_cost', isMeasure, false],
    ['pid', isPid, false],
  ],
};

/**
 * The message, when `value` is a plainly valid heartbeat or usage row; undefined when the
 * schema must decide. Unknown fields are dropped, as the schema drops them.
 */
export function decodeFast(
  type: string,
  value: Record<string, unknown>,
): HeartbeatMessage | LlmUsageMessage | undefined {
  if (type !== 'heartbeat' && type !== 'llm_usage') return undefined;

  const message: Record<string, unknown> = { type };
  for (const [name, check, required] of FAST_FIELDS[type]) {
    const field = value[name];
    if (field === undefined) {
      if (required) return undefined;
      continue;
    }
    if (!check(field)) return undefined;
    message[name] = field;
  }
  return message as HeartbeatMessage | LlmUsageMessage;
}
