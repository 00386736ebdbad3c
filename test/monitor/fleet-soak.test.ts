import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { TimerClock } from '../../src/clock.js';
import { Mailbox } from '../../src/ingest/mailbox.js';
import { trustingTable } from '../../src/probe/process-table.js';
import { Monitor, type BotTransition } from '../../src/monitor/monitor.js';
import type { Message } from '../../src/protocol/messages.js';
import { countRows } from '../../src/store/rows.js';

const BOTS = 1000;
const HOURS = 24;
const HEARTBEAT_S = 120;
const TICKS_PER_HOUR = 3600 / HEARTBEAT_S;
const SILENT_GROUP = 50;
const SILENT_TICKS = 5;
const REREGISTER_GROUP = 20;

// A full collection before each hourly reading makes the heap figure what the monitor retains,
// not how far the collector happened to be behind.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A SimulatedClock that also counts the timers still pending, to catch a leak of them. */
function countingTimers(clock: SimulatedClock): TimerClock & { pending: () => number } {
  const live = new Set<number>();
  return {
    setTimeout: (fn, ms) => {
      const id: number = clock.setTimeout((...args: unknown[]) => {
        live.delete(id);
        fn(...args);
      }, ms);
      live.add(id);
      return id;
    },
    clearTimeout: (id: number) => {
      live.delete(id);
      clock.clearTimeout(id);
    },
    pending: () => live.size,
  };
}

interface HourSample {
  hour: number;
  bots: number;
  timers: number;
  maxBatchRows: number;
  maxMailboxDepth: number;
  heapMb: number;
}

describe('a 1,000-bot fleet for 24 simulated hours', () => {
  it('keeps bots, timers, batches and mailbox flat through stale, recovery and re-registers', async () => {
    const clock = new SimulatedClock();
    const timers = countingTimers(clock);
    const transitions: BotTransition[] = [];
    let maxBatchRows = 0;
    let rowsPersisted = 0;

    const monitor = new Monitor({
      clock: { now: () => clock.now(), timers },
      logger: pino({ level: 'silent' }),
      processes: trustingTable,
      staleTimeoutMs: 60_000,
      staleGraceMs: 10_000,
      crashLoopRegisters: 5,
      crashLoopWindowMs: 600_000,
      selfReportIntervalMs: 15_000,
      refuse: () => undefined,
      persist: (batch) => {
        const rows = countRows(batch);
        rowsPersisted += rows;
        maxBatchRows = Math.max(maxBatchRows, rows);
      },
    });
    monitor.onTransition((transition) => transitions.push(transition));
    const mailbox = new Mailbox<Message>({
      highWater: 10_000,
      lowWater: 5000,
      sliceSize: 512,
      onSlice: (messages) => monitor.handleSlice(messages),
      onPressure: () => undefined,
    });
    const deliver = async (messages: Message[]) => {
      for (const message of messages) mailbox.push(message);
      mailbox.drainAll();
      // Timer-driven transitions are handed to persistence in a microtask.
      await Promise.resolve();
    };

    const channel = (i: number) => `bot_${i}`;
    const pid = (i: number) => 10_000 + i;
    await deliver(
      Array.from({ length: BOTS }, (_, i) => ({
        type: 'register' as const,
        channel: channel(i),
        pid: pid(i),
        features: { llm: i % 2 === 0 },
        heartbeat_interval_s: HEARTBEAT_S,
      })),
    );

    const samples: HourSample[] = [];
    for (let tick = 1; tick <= HOURS * TICKS_PER_HOUR; tick += 1) {
      clock.increment(HEARTBEAT_S * 1000);
      const hour = Math.floor((tick - 1) / TICKS_PER_HOUR);
      const minute = (tick - 1) % TICKS_PER_HOUR;

      // Every other hour one group of bots falls silent for ten minutes, then comes back.
      const silentFrom = ((hour >> 1) % (BOTS / SILENT_GROUP)) * SILENT_GROUP;
      const silent = (i: number) =>
        hour % 2 === 1 && minute < SILENT_TICKS && i >= silentFrom && i < silentFrom + SILENT_GROUP;
      const messages: Message[] = [];
      for (let i = 0; i < BOTS; i += 1) {
        if (!silent(i)) messages.push({ type: 'heartbeat', channel: channel(i), pid: pid(i) });
      }
      for (let i = 0; i < 100; i += 1) {
        const bot = (tick * 100 + i) % BOTS;
        messages.push({
          type: 'llm_usage',
          channel: channel(bot),
          model: 'm',
          feature: 'chat',
          tokens_in: tick,
          tokens_out: i,
        });
      }
      // Every fourth hour a few bots restart: unregister, then register again with a new pid.
      if (hour % 4 === 0 && minute === TICKS_PER_HOUR / 2) {
        for (let i = 0; i < REREGISTER_GROUP; i += 1) {
          const bot = BOTS - 1 - i;
          messages.push({ type: 'unregister', channel: channel(bot), pid: pid(bot) });
          messages.push({
            type: 'register',
            channel: channel(bot),
            pid: pid(bot),
            features: {},
            heartbeat_interval_s: HEARTBEAT_S,
          });
        }
      }
      await deliver(messages);

      if (minute === TICKS_PER_HOUR - 1) {
        collectGarbage();
        samples.push({
          hour,
          bots: monitor.size,
          timers: timers.pending(),
          maxBatchRows,
          maxMailboxDepth: mailbox.stats.maxDepth,
          heapMb: process.memoryUsage().heapUsed / 2 ** 20,
        });
        maxBatchRows = 0;
      }
    }

    const count = (from: string | null, to: string) =>
      transitions.filter((t) => t.from === from && t.to === to).length;
    const silentEpisodes = HOURS / 2;
    const restarts = (HOURS / 4) * REREGISTER_GROUP;
    expect(count('alive', 'stale')).toBe(silentEpisodes * SILENT_GROUP);
    expect(count('stale', 'alive')).toBe(silentEpisodes * SILENT_GROUP);
    expect(count('alive', 'unregistered')).toBe(restarts);
    expect(count('unregistered', 'registered')).toBe(restarts);
    expect(count('registered', 'alive')).toBe(BOTS + restarts);
    expect(count(null, 'registered')).toBe(BOTS);
    expect(transitions).toHaveLength(2 * BOTS + 2 * silentEpisodes * SILENT_GROUP + 3 * restarts);

    for (const sample of samples) {
      expect(sample.bots).toBe(BOTS);
      // The stale watch's one timer, and the crash-loop windows of bots that restarted.
      expect(sample.timers).toBeLessThanOrEqual(1 + REREGISTER_GROUP);
      expect(sample.maxBatchRows).toBeLessThanOrEqual(BOTS + 100 + 3 * REREGISTER_GROUP);
    }
    expect(mailbox.depth).toBe(0);
    expect(mailbox.stats.maxDepth).toBeLessThanOrEqual(BOTS + 100 + 2 * REREGISTER_GROUP);
    // After a full collection each hour, a leak of even 100 bytes per bot and hour would lift the
    // last hours 1.8 MiB above the first.
    const heap = samples.map((sample) => sample.heapMb);
    expect(Math.max(...heap.slice(-6))).toBeLessThanOrEqual(Math.max(...heap.slice(0, 6)) + 1);

    monitor.stop();
    console.log('24 h soak figures', {
      transitions: transitions.length,
      rowsPersisted,
      perHour: samples.map(({ hour, timers: t, maxBatchRows: b, heapMb }) => [
        hour,
        t,
        b,
        Math.round(heapMb * 10) / 10,
      ]),
    });
  }, 60_000);
});
