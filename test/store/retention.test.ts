import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { pruneOnce } from '../../src/store/retention.js';
import { emptyBatch, formatTimestamp } from '../../src/store/rows.js';
import { Store } from '../../src/store/store.js';
import { query } from '../helpers/database.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { usageRow } from '../helpers/rows.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-12-03T12:00:00Z');

function metricAt(ms: number) {
  return {
    ts: formatTimestamp(ms),
    channel: 'c',
    pid: 1,
    rss_mb: 1,
    cpu_pct: 1,
    features_json: '{}',
    source: 'probe' as const,
  };
}

describe('retention', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('prunes each table by its own age, in small batches, and keeps the rest', async () => {
    const db = dir.file('retention.db');
    const store = await Store.open({ path: db, busyTimeoutMs: 1000 });
    const batch = emptyBatch();
    for (let i = 0; i < 5; i += 1) batch.usage.push(usageRow(i, NOW - 100 * DAY - i));
    batch.usage.push(usageRow(99, NOW - 10 * DAY));
    batch.metrics.push(metricAt(NOW - 8 * DAY), metricAt(NOW - 6 * DAY));
    await store.write(batch);

    const options = {
      store,
      days: { bot_metrics: 7, bot_events: 30, llm_usage: 90 },
      batchSize: 2,
      logger: pino({ level: 'silent' }),
    };
    const deleted = await pruneOnce(options, NOW);
    await store.close();

    expect(deleted).toEqual({ bot_metrics: 1, bot_events: 0, llm_usage: 5 });
    expect(query(db, 'SELECT tokens_in FROM llm_usage')).toEqual([{ tokens_in: 99 }]);
    expect(query(db, 'SELECT COUNT(*) AS n FROM bot_metrics')).toEqual([{ n: 1 }]);
  });

  it('keeps a table forever when its retention is 0 days', async () => {
    const db = dir.file('forever.db');
    const store = await Store.open({ path: db, busyTimeoutMs: 1000 });
    const batch = emptyBatch();
    batch.usage.push(usageRow(1, NOW - 1000 * DAY));
    await store.write(batch);

    const days = { bot_metrics: 7, bot_events: 30, llm_usage: 0 };
    await pruneOnce({ store, days, batchSize: 10, logger: pino({ level: 'silent' }) }, NOW);
    await store.close();
    expect(query(db, 'SELECT COUNT(*) AS n FROM llm_usage')).toEqual([{ n: 1 }]);
  });
});
