import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock, waitFor, type InspectionEvent } from 'xstate';
import { createPersistenceActor } from '../../src/store/persistence.js';
import { formatTimestamp, type Batch } from '../../src/store/rows.js';
import { Store } from '../../src/store/store.js';
import { query } from '../helpers/database.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { usageBatch } from '../helpers/rows.js';

describe('persistence enqueue', () => {
  const dir = makeTempDir();
  let store: Store;
  let db: string;
  let clock: SimulatedClock;
  let enqueueEvents: number;

  beforeEach(async () => {
    db = dir.file(`enqueue-${Math.random().toString(36).slice(2)}.db`);
    store = await Store.open({ path: db, busyTimeoutMs: 0 });
    clock = new SimulatedClock();
    enqueueEvents = 0;
  });
  afterEach(() => store.close());

  function start() {
    const persistence = createPersistenceActor({
      store,
      logger: pino({ level: 'silent' }),
      clock: { now: () => clock.now(), timers: clock },
      inspect: (event: InspectionEvent) => {
        if (event.type === '@xstate.event' && event.event.type === 'enqueue') enqueueEvents += 1;
      },
      flushIntervalMs: 50,
      batchSize: 10,
      flushRowLimit: 40,
      retryBaseMs: 100,
      retryMaxMs: 1000,
    });
    persistence.actor.start();
    return persistence;
  }

  const tokens = () =>
    query<{ tokens_in: number }>(db, 'SELECT tokens_in FROM llm_usage ORDER BY id').map(
      (row) => row.tokens_in,
    );

  it('wakes an idle actor, then appends quietly until the flush interval writes all', async () => {
    const { actor, enqueue, pending } = start();
    enqueue(usageBatch(3));
    enqueue(usageBatch(3, 3));
    enqueue(usageBatch(2, 6));

    expect(actor.getSnapshot().value).toBe('waiting');
    expect(pending.rows).toBe(8);
    expect(enqueueEvents).toBe(1);

    clock.increment(50);
    await waitFor(actor, (snapshot) => snapshot.matches('idle'));
    expect(tokens()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('flushes at once when a batch fills the queue', async () => {
    const { actor, enqueue } = start();
    enqueue(usageBatch(4));
    enqueue(usageBatch(6, 4));

    expect(actor.getSnapshot().value).toBe('flushing');
    await waitFor(actor, (snapshot) => snapshot.matches('idle'));
    expect(tokens()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps what arrives during a flush for the next one, in order', async () => {
    const { actor, enqueue } = start();
    enqueue(usageBatch(10));
    expect(actor.getSnapshot().value).toBe('flushing');
    enqueue(usageBatch(2, 10));

    await waitFor(actor, (snapshot) => snapshot.matches('waiting'));
    clock.increment(50);
    await waitFor(actor, (snapshot) => snapshot.matches('idle'));
    expect(tokens()).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});
