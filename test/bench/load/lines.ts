/**
 * The lines the load generators send: usage rows, bots' register and heartbeat, and the
 * invalid lines of scenario 4, one of each kind the decoder rejects in turn.
 */

const MODELS = ['gpt-4o-mini', 'claude-3-5-haiku', 'llama-3.1-8b'];
const FEATURES = ['chat', 'summary', 'moderation'];

export function usageLine(writer: number, index: number): string {
  return botUsageLine(`bench_bot_${writer}`, 10_000 + writer, index);
}

/** A usage row from one named bot, varied by `index`. */
export function botUsageLine(channel: string, pid: number, index: number): string {
  return JSON.stringify({
    type: 'llm_usage',
    channel,
    model: MODELS[index % MODELS.length],
    feature: FEATURES[index % FEATURES.length],
    tokens_in: 100 + (index % 900),
    tokens_out: 20 + (index % 300),
    latency_ms: 250 + (index % 1000),
    estimated_cost: 0.0001 * (1 + (index % 7)),
    pid,
  });
}

const USAGE_FIELDS = {
  type: 'llm_usage',
  channel: 'bench_bot_0',
  model: 'm',
  feature: 'f',
  tokens_in: 1,
  tokens_out: 1,
};

const INVALID_LINES = [
  '{"type":"llm_usage","channel":"bench_bot_0","model":"m","feature":"f","tokens_in":1,',
  'not json at all',
  '["an","array"]',
  '{"channel":"bench_bot_0","pid":1}',
  '{"type":"reboot","channel":"bench_bot_0","pid":1}',
  JSON.stringify({ ...USAGE_FIELDS, channel: 'bad channel!' }),
  JSON.stringify({ ...USAGE_FIELDS, tokens_in: -5 }),
  '{"type":"heartbeat","channel":"bench_bot_0","pid":"12"}',
];

export function invalidLine(index: number): string {
  return INVALID_LINES[index % INVALID_LINES.length]!;
}

/**
 * One writer's whole payload. With `invalidEvery` set, every such line is replaced by an
 * invalid one; `valid` counts the usage rows that must arrive.
 */
export function usagePayload(
  writer: number,
  lines: number,
  invalidEvery = 0,
): { payload: Buffer; valid: number; invalid: number } {
  const texts: string[] = [];
  let invalid = 0;
  for (let index = 0; index < lines; index += 1) {
    const bad = invalidEvery > 0 && index % invalidEvery === invalidEvery - 1;
    texts.push(bad ? invalidLine(invalid++) : usageLine(writer, index));
  }
  return { payload: Buffer.from(`${texts.join('\n')}\n`), valid: lines - invalid, invalid };
}

export function registerLine(channel: string, pid: number): string {
  return JSON.stringify({
    type: 'register',
    channel,
    pid,
    features: { chat: true, llm: true, tts: false },
    version: '1.0.0',
    heartbeat_interval_s: 1,
  });
}

export function heartbeatLine(channel: string, pid: number, sentAt: number): string {
  const status = `t=${sentAt.toFixed(3)}`;
  return JSON.stringify({ type: 'heartbeat', channel, pid, rss_mb: 84.5, cpu_pct: 1.5, status });
}
