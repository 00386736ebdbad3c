import { describe, expect, it } from 'vitest';
import { FAST_FIELDS, decodeFast } from '../../src/protocol/fast-decode.js';
import { heartbeatSchema, llmUsageSchema } from '../../src/protocol/messages.js';

const schemas = { heartbeat: heartbeatSchema, llm_usage: llmUsageSchema } as const;

// Values each field is tried with: valid ones, edge ones and wrong ones, `undefined` for absent.
const CANDIDATES: Record<string, unknown[]> = {
  channel: [
    'el_serda',
    'a',
    'x'.repeat(64),
    'x'.repeat(65),
    'a b',
    '',
    '-lead',
    7,
    null,
    undefined,
  ],
  pid: [1, 123, 2 ** 31 - 1, 2 ** 31, 0, -4, 1.5, '12', null, Infinity, undefined],
  rss_mb: [0, 12.5, -0, -1, 1e308, '3', null, true, undefined],
  cpu_pct: [0, 99.9, -0.1, null, [], undefined],
  status: ['', 'ok', 'x'.repeat(256), 'x'.repeat(257), 5, null, undefined],
  model: ['gpt-4o-mini', '', 'm'.repeat(256), 'm'.repeat(257), 3, null, undefined],
  feature: ['chat', '', {}, undefined],
  tokens_in: [0, 120, 2 ** 53, 1.25, -1, '5', null, undefined],
  tokens_out: [0, 40, Number.MAX_SAFE_INTEGER, -3, NaN, undefined],
  latency_ms: [0, 812.5, -2, '1', null, undefined],
  estimated_cost: [0, 0.0002, -0.5, null, undefined],
};

// A fixed-seed generator, so a failure names a message that can be replayed.
function createRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function generateMessage(type: keyof typeof schemas, random: () => number) {
  const message: Record<string, unknown> = { type, shard: 3 };
  for (const [name] of FAST_FIELDS[type]) {
    const candidates = CANDIDATES[name]!;
    // Lean towards the first (valid) candidates so that whole valid messages come up often.
    const index = random() < 0.7 ? 0 : Math.floor(random() * candidates.length);
    if (candidates[index] !== undefined) message[name] = candidates[index];
  }
  return message;
}

describe('decodeFast', () => {
  it('knows exactly the fields of the heartbeat and llm_usage schemas', () => {
    for (const type of ['heartbeat', 'llm_usage'] as const) {
      const names = FAST_FIELDS[type].map(([name]) => name);
      const schemaNames = Object.keys(schemas[type].shape).filter((name) => name !== 'type');
      expect(names).toEqual(schemaNames);
    }
  });

  it('accepts only what the schema accepts, and builds the same message from it', () => {
    const random = createRandom(6);
    let accepted = 0;

    for (let round = 0; round < 4000; round += 1) {
      const type = round % 2 === 0 ? 'heartbeat' : 'llm_usage';
      const message = generateMessage(type, random);
      const fast = decodeFast(type, message);
      const parsed = schemas[type].safeParse(message);

      if (fast) {
        accepted += 1;
        expect({ message, fast }).toEqual({ message, fast: parsed.data });
      }
      if (parsed.success && !fast) {
        expect.fail(`the fast path left a valid message to zod: ${JSON.stringify(message)}`);
      }
    }
    expect(accepted).toBeGreaterThan(400);
  });

  it('leaves the other message types to their schemas', () => {
    expect(decodeFast('register', { channel: 'a', pid: 1, features: {} })).toBeUndefined();
    expect(decodeFast('unregister', { channel: 'a', pid: 1 })).toBeUndefined();
  });
});
