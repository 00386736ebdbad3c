import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../src/client/check-message.js';
import { decodeValue } from '../../src/protocol/decode.js';
import { RejectCode } from '../../src/protocol/errors.js';
import type { Message } from '../../src/protocol/messages.js';

const register = { type: 'register', channel: 'bot_1', pid: 42, features: { llm: true } };
const heartbeat = { type: 'heartbeat', channel: 'bot_1', pid: 42 };
const unregister = { type: 'unregister', channel: 'bot_1', pid: 42 };
const usage = {
  type: 'llm_usage',
  channel: 'bot_1',
  model: 'gpt-x',
  feature: 'chat',
  tokens_in: 10,
  tokens_out: 5,
};

const long = 'x'.repeat(257);
const manyFeatures = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, true]));

// Every field of every message, valid and invalid, the way a bot's code might get it wrong.
const cases: Record<string, unknown>[] = [
  register,
  { ...register, version: '1.2', host: 'box', heartbeat_interval_s: 30 },
  { ...register, channel: 'a'.repeat(65) },
  { ...register, channel: '-starts-with-dash' },
  { ...register, channel: 'tw:channel.name-1' },
  { ...register, pid: 0 },
  { ...register, pid: 1.5 },
  { ...register, pid: 2 ** 31 },
  { ...register, features: { llm: 'yes' } },
  { ...register, features: manyFeatures },
  { ...register, features: { '': true } },
  { ...register, features: JSON.parse('{"__proto__":true}') },
  { ...register, features: JSON.parse('{"constructor":true}'), channel: 'bad channel' },
  { ...register, version: long },
  { ...register, heartbeat_interval_s: 0 },
  { ...register, heartbeat_interval_s: 86_401 },
  { ...register, heartbeat_interval_s: 0.5 },
  heartbeat,
  { ...heartbeat, rss_mb: 12.5, cpu_pct: 3, status: 'ok' },
  { ...heartbeat, rss_mb: -1 },
  { ...heartbeat, cpu_pct: Infinity },
  { ...heartbeat, rss_mb: NaN },
  { ...heartbeat, status: long },
  { ...heartbeat, pid: -3, channel: '' },
  unregister,
  { ...unregister, reason: 'shutdown' },
  { ...unregister, reason: long },
  usage,
  { ...usage, latency_ms: 812.5, estimated_cost: 0.002, pid: 42 },
  { ...usage, model: '' },
  { ...usage, feature: long },
  { ...usage, tokens_in: -1 },
  { ...usage, tokens_out: 1.5 },
  { ...usage, tokens_in: undefined },
  { ...usage, tokens_out: Infinity },
  { ...usage, latency_ms: -5 },
  { ...usage, estimated_cost: NaN },
  { ...usage, pid: 0 },
];

function monitorVerdict(message: Record<string, unknown>): RejectCode | undefined {
  const decoded = decodeValue(message);
  return decoded.ok ? undefined : decoded.code;
}

describe('checkMessage', () => {
  it.each(cases.map((message, index) => [index, message] as const))(
    'gives case %i the verdict the monitor gives',
    (_, message) => {
      expect(checkMessage(message as Message)).toBe(monitorVerdict(message));
    },
  );

  it('refuses a forbidden feature key before anything else, as the monitor does', () => {
    const message = { ...register, channel: '', features: JSON.parse('{"prototype":true}') };
    expect(checkMessage(message as Message)).toBe(RejectCode.forbiddenKey);
  });
});
