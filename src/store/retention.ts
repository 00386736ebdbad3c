/**
 * Ages out old rows: metrics, events and usage each after their own number of days. Deletes go
 * in small batches through the store worker, one after another, so pruning never holds the
 * write lock long enough to stall a flush. A retention of 0 days keeps a table's rows forever.
 */
import type { Logger } from 'pino';
import { formatTimestamp } from './rows.js';
import type { Store } from './store.js';
import type { PrunableTable } from './worker-protocol.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export type RetentionDays = Record<PrunableTable, number>;

export interface RetentionOptions {
  store: Store;
  days: RetentionDays;
  batchSize: number;
  logger: Logger;
  /** Aborted when the monitor stops: no further delete is sent. */
  signal?: AbortSignal;
}

/** Prunes every table once, as of `now`; resolves with the rows deleted per table. */
export async function pruneOnce(options: RetentionOptions, now: number) {
  const { store, days, batchSize } = options;
  const deleted: Partial<Record<PrunableTable, number>> = {};

  for (const [table, keepDays] of Object.entries(days) as [PrunableTable, number][]) {
    if (keepDays === 0) continue;
    const before = formatTimestamp(now - keepDays * DAY_MS);
    let total = 0;
    let last = batchSize;
    while (last === batchSize && !options.signal?.aborted) {
      last = await store.prune(table, before, batchSize);
      total += last;
    }
    deleted[table] = total;
  }

  const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
  if (total > 0) options.logger.info({ deleted }, 'old rows pruned');
  return deleted;
}

/** Runs pruneOnce now and then every `everyMs`; returns the function that stops it. */
export function startRetention(
  options: RetentionOptions,
  now: () => number,
  everyMs: number,
): () => void {
  const controller = new AbortController();
  const run = () =>
    pruneOnce({ ...options, signal: controller.signal }, now()).catch((error: unknown) =>
      options.logger.warn({ err: error }, 'pruning failed; retrying at the next round'),
    );
  const timer = setInterval(run, everyMs).unref();
  void run();

  return () => {
    controller.abort();
    clearInterval(timer);
  };
}
