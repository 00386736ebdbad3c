import { emptyBatch, formatTimestamp, type Batch, type UsageRow } from '../../src/store/rows.js';

/** One `llm_usage` row; `tokens_in` tells rows apart. */
export function usageRow(tokensIn: number, ts = 0): UsageRow {
  return {
    ts: formatTimestamp(ts),
    channel: 'bot',
    model: 'm',
    feature: 'f',
    tokens_in: tokensIn,
    tokens_out: 0,
    latency_ms: null,
    estimated_cost: null,
    pid: null,
  };
}

/** A batch of `count` usage rows numbered from `from`. */
export function usageBatch(count: number, from = 0): Batch {
  const batch = emptyBatch();
  for (let i = 0; i < count; i += 1) batch.usage.push(usageRow(from + i));
  return batch;
}
