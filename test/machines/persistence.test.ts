import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import { createPersistenceActor } from '../../src/store/persistence.js';
import { formatTimestamp, type Batch } from '../../src/store/rows.js';
import { Store } from '../../src/store/store.js';
import { query } from '../helpers/database.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { usageBatch } from '../helpers/rows.js';

describe('persistence machine', () => {
  const dir = makeTempDir();
  let store: Store;
  let db: string;
  let clock: SimulatedClock;

  beforeEach(async () => {
    db = dir.file(`persist-${Math.random().toString(36).slice(2)}.db`);
    store = await Store.open({ path: db, busyTimeoutMs: 0 });
    clock = new SimulatedClock();
  });
  afterEach(() => store.close());

  function start() {
    const persistence = createPersistenceActor({
      store,
      logger: pino({ level: 'silent' }),
      clock: { now: () => clock.now(), timers: clock },
      flushIntervalMs: 50,
      batchSize: 10,
      flushRowLimit: 40,
      retryBaseMs: 100,
      retryMaxMs: 1000,
    });
    persistence.actor.start();
    return persistence;
  }

  const rowCount = () => query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM llm_usage')[0]!.n;

  it('flushes a small batch once it is as old as the flush interval', async () => {
    const { actor } = start();
    actor.send({ type: 'enqueue', batch: usageBatch(3) });
    expect(actor.getSnapshot().value).toBe('waiting');

    clock.increment(49);
    expect(actor.getSnapshot().value).toBe('waiting');
    clock.increment(1);
    await waitFor(actor, (snapshot) => snapshot.matches('idle'));
    expect(rowCount()).toBe(3);
  });

  it('flushes at once when the batch reaches its size', async () => {
    const { actor } = start();
    actor.send({ type: 'enqueue', batch: usageBatch(10) });
    expect(actor.getSnapshot().value).toBe('flushing');

    await waitFor(actor, (snapshot) => snapshot.matches('idle'));
    expect(rowCount()).toBe(10);
    expect(actor.getSnapshot().context.flushes).toBe(1);
  });

  it('writes a backlog in transactions of at most the row limit, in order', async () => {
    const { actor, stats, enqueue } = start();
    for (let i = 0; i < 10; i += 1) enqueue(usageBatch(10, i * 10));

    await waitFor(actor, (snapshot) => snapshot.matches('idle'));
    const rows = query<{ tokens_in: number }>(db, 'SELECT tokens_in FROM llm_usage ORDER BY id');
    expect(rows.map((row) => row.tokens_in)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Math.max(...stats.recentRows)).toBeLessThanOrEqual(40);
    expect(actor.getSnapshot().context.flushes).toBeGreaterThanOrEqual(3);
  });

  it('keeps the rows and retries with backoff while another process holds the lock', async () => {
    const locker = new Database(db);
    locker.exec('BEGIN IMMEDIATE');
    const { actor, pending } = start();

    actor.send({ type: 'enqueue', batch: usageBatch(10) });
    await waitFor(actor, (snapshot) => snapshot.matches('retrying'));
    expect(pending.rows).toBe(10);

    actor.send({ type: 'enqueue', batch: usageBatch(2, 10) });
    clock.increment(100);
    await waitFor(
      actor,
      (snapshot) => snapshot.matches('retrying') && snapshot.context.failures === 2,
    );

    locker.exec('COMMIT');
    locker.close();
    clock.increment(200);
    await waitFor(actor, (snapshot) => snapshot.matches('idle'));

    const rows = query<{ tokens_in: number }>(db, 'SELECT tokens_in FROM llm_usage ORDER BY id');
    expect(rows.map((row) => row.tokens_in)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('writes what is queued and stops when asked to', async () => {
    const { actor } = start();
    actor.send({ type: 'enqueue', batch: usageBatch(4) });
    actor.send({ type: 'stop' });

    await waitFor(actor, (snapshot) => snapshot.status === 'done');
    expect(rowCount()).toBe(4);
  });

  it('coalesces status rows per channel, keeping the latest', async () => {
    const { actor, pending } = start();
    const status = (pid: number) => ({
      channel: 'same',
      pid,
      status: 'online',
      state: 'alive',
      features_json: '{}',
      registered_at: formatTimestamp(0),
      last_seen: formatTimestamp(pid),
      reason: 'heartbeat',
      version: null,
      host: null,
      heartbeat_interval_s: null,
      stale_after_ms: 60_000,
      implicit: 0 as const,
      updated_at: formatTimestamp(pid),
      process_start_time: null,
      duplicate_pid: null,
      crash_looping: 0 as const,
      restored: 0 as const,
    });
    for (let pid = 1; pid <= 5; pid += 1) {
      actor.send({
        type: 'enqueue',
        batch: { status: [status(pid)], seen: [], usage: [], events: [], metrics: [] },
      });
    }
    expect(pending.rows).toBe(1);

    actor.send({ type: 'stop' });
    await waitFor(actor, (snapshot) => snapshot.status === 'done');
    expect(query(db, 'SELECT channel, pid FROM bot_status')).toEqual([{ channel: 'same', pid: 5 }]);
  });
});
