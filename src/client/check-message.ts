/**
 * The monitor's validation rules, checked in the bot before a line is sent: a message the
 * monitor would reject is not worth a write, and the bot learns why from the same code.
 *
 * These checks mirror the zod schemas of src/protocol/messages.ts without loading zod; a test
 * runs both over the same messages so they cannot drift apart.
 */
import { RejectCode } from '../protocol/errors.js';
import {
  CHANNEL_PATTERN,
  FORBIDDEN_KEYS,
  MAX_FEATURES,
  MAX_HEARTBEAT_INTERVAL_S,
  MAX_PID,
  MAX_TEXT_LENGTH,
} from '../protocol/limits.js';
import type { LlmUsageMessage, Message, RegisterMessage } from '../protocol/messages.js';

type Problem = RejectCode | undefined;

function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

function checkChannel(channel: unknown): Problem {
  const ok = typeof channel === 'string' && CHANNEL_PATTERN.test(channel);
  return ok ? undefined : RejectCode.invalidChannel;
}

function checkPid(pid: unknown): Problem {
  const ok = Number.isInteger(pid) && (pid as number) > 0 && (pid as number) <= MAX_PID;
  return ok ? undefined : RejectCode.invalidPid;
}

function checkNumber(value: unknown, integer: boolean, max = Infinity): Problem {
  if (value === undefined) return undefined;
  if (!isNumber(value)) return RejectCode.invalidField;
  if (!Number.isFinite(value)) return RejectCode.nonFiniteNumber;
  if (integer && !Number.isInteger(value)) return RejectCode.invalidField;
  return value < 0 || value > max ? RejectCode.invalidField : undefined;
}

function checkText(value: unknown, required = false): Problem {
  if (value === undefined && !required) return undefined;
  const ok = typeof value === 'string' && value.length <= MAX_TEXT_LENGTH;
  return ok && (!required || value.length > 0) ? undefined : RejectCode.invalidField;
}

function checkFeatures(features: unknown): Problem {
  if (features === null || typeof features !== 'object' || Array.isArray(features)) {
    return RejectCode.invalidField;
  }

  const keys = Object.keys(features);
  if (keys.length > MAX_FEATURES) return RejectCode.invalidField;

  const valid = (key: string) =>
    key.length > 0 &&
    key.length <= MAX_TEXT_LENGTH &&
    typeof (features as Record<string, unknown>)[key] === 'boolean';
  return keys.every(valid) ? undefined : RejectCode.invalidField;
}

function checkPresent(value: unknown): Problem {
  return value === undefined ? RejectCode.invalidField : undefined;
}

function checkInterval(value: unknown): Problem {
  if (value === 0) return RejectCode.invalidField;
  return checkNumber(value, false, MAX_HEARTBEAT_INTERVAL_S);
}

function checkRegister(message: RegisterMessage): Problem[] {
  return [
    checkPid(message.pid),
    checkFeatures(message.features),
    checkText(message.version),
    checkText(message.host),
    checkInterval(message.heartbeat_interval_s),
  ];
}

function checkLlmUsage(message: LlmUsageMessage): Problem[] {
  return [
    checkText(message.model, true),
    checkText(message.feature, true),
    checkNumber(message.tokens_in, true) ?? checkPresent(message.tokens_in),
    checkNumber(message.tokens_out, true) ?? checkPresent(message.tokens_out),
    checkNumber(message.latency_ms, false),
    checkNumber(message.estimated_cost, false),
    message.pid === undefined ? undefined : checkPid(message.pid),
  ];
}

function checkFields(message: Message): Problem[] {
  switch (message.type) {
    case 'register':
      return checkRegister(message);
    case 'heartbeat':
      return [
        checkPid(message.pid),
        checkNumber(message.rss_mb, false),
        checkNumber(message.cpu_pct, false),
        checkText(message.status),
      ];
    case 'unregister':
      return [checkPid(message.pid), checkText(message.reason)];
    case 'llm_usage':
      return checkLlmUsage(message);
  }
}

/**
 * Returns the code the monitor would reject `message` with, or undefined when it is valid.
 * Problems are looked for in the monitor's order, so a message with two gets the same code.
 */
export function checkMessage(message: Message): Problem {
  const features = 'features' in message ? message.features : undefined;
  if (features && Object.keys(features).some((key) => FORBIDDEN_KEYS.has(key))) {
    return RejectCode.forbiddenKey;
  }

  const problems = [checkChannel(message.channel), ...checkFields(message)];
  return problems.find((problem) => problem !== undefined);
}
