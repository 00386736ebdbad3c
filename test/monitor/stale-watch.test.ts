import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import type { TimerClock } from '../../src/clock.js';
import type { Message } from '../../src/protocol/messages.js';
import { createMonitor, heartbeat, register, START, unregister } from '../helpers/monitor.js';

const stateOf = (monitor: ReturnType<typeof createMonitor>['monitor'], channel: string) =>
  monitor.getSnapshot(channel)!.value;

/** Counts the timers pending on a SimulatedClock. */
function countingTimers(clock: SimulatedClock): TimerClock & { pending: Set<number> } {
  const pending = new Set<number>();
  return {
    pending,
    setTimeout: (fn, ms) => {
      const id: number = clock.setTimeout(() => (pending.delete(id), fn()), ms);
      pending.add(id);
      return id;
    },
    clearTimeout: (id: number) => {
      pending.delete(id);
      clock.clearTimeout(id);
    },
  };
}

describe('stale watch', () => {
  it('makes a bot stale exactly one stale timeout after its last heartbeat', async () => {
    const { monitor, clock, batches } = createMonitor();
    monitor.handleSlice([register('a')]);
    for (let second = 1; second <= 600; second += 1) {
      clock.increment(1000);
      monitor.handleSlice([heartbeat('a')]);
    }

    clock.increment(59_999);
    expect(stateOf(monitor, 'a')).toBe('alive');
    clock.increment(1);
    expect(stateOf(monitor, 'a')).toBe('stale');

    await Promise.resolve();
    expect(batches.at(-1)!.status).toMatchObject([
      { state: 'stale', last_seen: '2026-12-03T12:10:00.000000+00:00' },
    ]);
    expect(monitor.getSnapshot('a')!.context.reason).toBe('no heartbeat for 60s');
  });

  it('restarts the wait on every heartbeat', () => {
    const { monitor, clock } = createMonitor();
    monitor.handleSlice([register('a'), heartbeat('a')]);
    for (let i = 0; i < 5; i += 1) {
      clock.increment(50_000);
      monitor.handleSlice([heartbeat('a')]);
    }

    clock.increment(59_999);
    expect(stateOf(monitor, 'a')).toBe('alive');
  });

  it('makes a registered bot stale when its first heartbeat never comes', () => {
    const { monitor, clock } = createMonitor();
    monitor.handleSlice([register('a')]);
    clock.increment(30_000);
    monitor.handleSlice([register('a')]);

    clock.increment(59_999);
    expect(stateOf(monitor, 'a')).toBe('registered');
    clock.increment(1);
    expect(stateOf(monitor, 'a')).toBe('stale');
  });

  it('keeps each bot to its own deadline, whatever order they came in', () => {
    const { monitor, clock } = createMonitor();
    const quick: Message = { ...register('quick'), heartbeat_interval_s: 5 } as Message;
    monitor.handleSlice([register('slow'), heartbeat('slow')]);
    clock.increment(1000);
    monitor.handleSlice([quick, heartbeat('quick')]);

    clock.increment(19_999);
    expect([stateOf(monitor, 'quick'), stateOf(monitor, 'slow')]).toEqual(['alive', 'alive']);
    clock.increment(1);
    expect([stateOf(monitor, 'quick'), stateOf(monitor, 'slow')]).toEqual(['stale', 'alive']);
    clock.increment(39_000);
    expect(stateOf(monitor, 'slow')).toBe('stale');
  });

  it('waits again from a heartbeat that brings a stale bot back', () => {
    const { monitor, clock } = createMonitor();
    monitor.handleSlice([register('a')]);
    clock.increment(60_000);
    expect(stateOf(monitor, 'a')).toBe('stale');

    clock.increment(5_000);
    monitor.handleSlice([heartbeat('a')]);
    clock.increment(59_999);
    expect(stateOf(monitor, 'a')).toBe('alive');
    clock.increment(1);
    expect(stateOf(monitor, 'a')).toBe('stale');
  });

  it('never makes an unregistered bot stale', () => {
    const { monitor, clock } = createMonitor();
    monitor.handleSlice([register('a'), heartbeat('a'), unregister('a')]);
    clock.increment(10 * 60_000);
    expect(stateOf(monitor, 'a')).toBe('unregistered');
  });

  it('gives a restored bot a whole stale timeout from the restart, however old its row', () => {
    const { monitor, clock } = createMonitor();
    const lastSeen = START - 3 * 3600_000;
    monitor.restore([
      {
        channel: 'a',
        pid: 10,
        features: {},
        at: START - 4 * 3600_000,
        staleAfterMs: 60_000,
        restored: {
          state: 'alive',
          lastSeen,
          processAlive: true,
          duplicatePid: undefined,
          crashLooping: false,
        },
      },
    ]);

    clock.increment(59_999);
    expect(stateOf(monitor, 'a')).toBe('alive');
    clock.increment(1);
    expect(stateOf(monitor, 'a')).toBe('stale');
    expect(monitor.getSnapshot('a')!.context.reason).toBe('no heartbeat for 10860s');
  });

  it('keeps one timer for a whole fleet, and none once every bot is stale', () => {
    const { monitor, clock } = createMonitor({}, countingTimers);
    const timers = (
      monitor as unknown as { options: { clock: { timers: { pending: Set<number> } } } }
    ).options.clock.timers.pending;
    const channels = Array.from({ length: 100 }, (_, i) => `bot-${i}`);
    monitor.handleSlice(channels.map((channel) => register(channel)));
    for (let second = 0; second < 30; second += 1) {
      clock.increment(1000);
      monitor.handleSlice(channels.map((channel) => heartbeat(channel)));
    }
    expect(timers.size).toBe(1);

    clock.increment(60_000);
    expect(channels.every((channel) => stateOf(monitor, channel) === 'stale')).toBe(true);
    expect(timers.size).toBe(0);
  });
});
