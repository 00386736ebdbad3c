/**
 * Gives the persistence machine its queue and its writes: the store worker does the writing,
 * a PendingBatch holds what waits for the next flush.
 */
import { createActor, fromPromise } from 'xstate';
import type { Logger } from 'pino';
import { persistenceMachine, type PersistenceInput } from '../../machines/persistence.js';
import { PendingBatch } from './pending-batch.js';
import { countRows, type Batch } from './rows.js';
import { StoreWriteError, type Store, type WriteResult } from './store.js';
import { FlushStats } from './flush-stats.js';
import { actorOptions, type Clock, type Inspect } from '../clock.js';

export interface PersistenceOptions extends PersistenceInput {
  store: Store;
  /**
   * The most rows one transaction takes. Under a flood the queue grows while the worker writes;
   * without a cap one flush took all of it and ran for a couple of hundred milliseconds.
   */
  flushRowLimit: number;
  logger: Logger;
  clock: Clock;
  /** Inspection from the first event on; the run-time switch covers the running service. */
  inspect?: Inspect | undefined;
}

export function createPersistenceActor(options: PersistenceOptions) {
  const { store, logger } = options;
  const pending = new PendingBatch();
  const stats = new FlushStats();
  let inFlightRows = 0;

  const write = async (): Promise<WriteResult> => {
    const batch = pending.take(options.flushRowLimit);
    inFlightRows = countRows(batch);
    try {
      return await store.write(batch);
    } catch (error) {
      pending.restore(batch);
      throw error;
    } finally {
      inFlightRows = 0;
    }
  };

  const machine = persistenceMachine.provide({
    actors: { writeBatch: fromPromise(write) },
    actions: {
      append: (_, { batch }) => pending.append(batch as Batch),
      flushed: (_, result) => {
        if (stats.failing) logger.info({ rows: result.rows }, 'database writes recovered');
        stats.recordFlush(result);
      },
      flushFailed: ({ context }, { error, retryInMs }) => {
        stats.recordFailure();
        const code = error instanceof StoreWriteError ? error.sqliteCode : undefined;
        const level = context.consecutiveFailures === 1 ? 'error' : 'debug';
        logger[level]({ code, err: error, retryInMs, pendingRows: pending.rows }, 'flush failed');
      },
    },
    guards: {
      hasPending: () => pending.rows > 0,
      isBatchFull: ({ context }) => pending.rows >= context.batchSize,
    },
  });

  const actor = createActor(machine, {
    input: {
      flushIntervalMs: options.flushIntervalMs,
      batchSize: options.batchSize,
      retryBaseMs: options.retryBaseMs,
      retryMaxMs: options.retryMaxMs,
    },
    ...actorOptions(options.clock, options.inspect),
  });

  // The machine needs to hear of a batch only when it changes what the machine does: when it is
  // idle, or when the batch fills the queue. Otherwise an `enqueue` event would only append, and
  // one XState event per mailbox slice was most of what a one-message slice cost.
  const enqueue = (batch: Batch): void => {
    const state = actor.getSnapshot().value;
    const full = pending.rows + countRows(batch) >= options.batchSize;
    const quiet = state === 'flushing' || state === 'retrying' || (state === 'waiting' && !full);

    if (quiet) pending.append(batch);
    else actor.send({ type: 'enqueue', batch });
  };

  /** Rows not yet written: queued, plus those of the write in progress. */
  const backlog = () => pending.rows + inFlightRows;

  return { actor, pending, stats, enqueue, backlog };
}
