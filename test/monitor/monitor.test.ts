import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { Monitor } from '../../src/monitor/monitor.js';
import { trustingTable } from '../../src/probe/process-table.js';
import type { Message } from '../../src/protocol/messages.js';
import type { Batch } from '../../src/store/rows.js';

function createMonitor() {
  const clock = new SimulatedClock();
  clock.set(Date.parse('2026-12-03T12:00:00Z'));
  const batches: Batch[] = [];
  const refused: string[] = [];
  const monitor = new Monitor({
    clock: { now: () => clock.now(), timers: clock },
    logger: pino({ level: 'silent' }),
    processes: trustingTable,
    staleTimeoutMs: 60_000,
    staleGraceMs: 10_000,
    crashLoopRegisters: 5,
    crashLoopWindowMs: 600_000,
    persist: (batch) => batches.push(batch),
    refuse: (code) => refused.push(code),
  });
  return { monitor, clock, batches, refused };
}

const register = (channel: string, pid = 10): Message => ({
  type: 'register',
  channel,
  pid,
  features: {},
});
const heartbeat = (channel: string, pid = 10): Message => ({ type: 'heartbeat', channel, pid });
const unregister = (channel: string, pid = 10): Message => ({ type: 'unregister', channel, pid });

describe('Monitor', () => {
  it('folds a run of one bot heartbeats into one event and hands over one batch a slice', () => {
    const { monitor, batches } = createMonitor();
    monitor.handleSlice([register('a'), ...Array.from({ length: 50 }, () => heartbeat('a'))]);

    expect(batches).toHaveLength(1);
    expect(batches[0]!.events.map((row) => row.to_state)).toEqual(['registered', 'alive']);
    expect(batches[0]!.status).toHaveLength(1);
    expect(monitor.getSnapshot('a')!.context.heartbeats).toBe(50);
    expect(monitor.messages.heartbeat).toBe(50);
  });

  it('keeps the order of heartbeats and lifecycle messages of one bot within a slice', () => {
    const { monitor, batches } = createMonitor();
    monitor.handleSlice([register('a'), heartbeat('a'), unregister('a'), heartbeat('a')]);

    const states = batches.flatMap((batch) => batch.events.map((row) => row.to_state));
    expect(states).toEqual(['registered', 'alive', 'unregistered', 'alive']);
  });

  it('records usage without creating a bot', () => {
    const { monitor, batches } = createMonitor();
    const usage: Message = {
      type: 'llm_usage',
      channel: 'u',
      model: 'm',
      feature: 'f',
      tokens_in: 1,
      tokens_out: 2,
    };
    monitor.handleSlice([usage, usage]);

    expect(monitor.size).toBe(0);
    expect(batches[0]!.usage).toHaveLength(2);
  });

  it('gives a bot that announces its heartbeat interval two intervals and the grace', () => {
    const { monitor, clock } = createMonitor();
    monitor.handleSlice([{ ...register('slow'), heartbeat_interval_s: 120 } as Message]);

    clock.increment(249_999);
    expect(monitor.getSnapshot('slow')!.value).toBe('registered');
    clock.increment(1);
    expect(monitor.getSnapshot('slow')!.value).toBe('stale');
  });

  it('hands transitions fired by timers to persistence in their own batch', async () => {
    const { monitor, clock, batches } = createMonitor();
    monitor.handleSlice([register('a'), heartbeat('a')]);

    clock.increment(60_000);
    await Promise.resolve();
    expect(batches.at(-1)!.events).toMatchObject([{ from_state: 'alive', to_state: 'stale' }]);
    expect(batches.at(-1)!.status).toMatchObject([
      { channel: 'a', status: 'stale', state: 'stale' },
    ]);
  });

  it('streams every transition to its listeners', () => {
    const { monitor } = createMonitor();
    const seen: string[] = [];
    const unsubscribe = monitor.onTransition((t) => seen.push(`${t.channel}:${t.from}->${t.to}`));

    monitor.handleSlice([register('a'), heartbeat('a')]);
    unsubscribe();
    monitor.handleSlice([unregister('a')]);
    expect(seen).toEqual(['a:null->registered', 'a:registered->alive']);
  });
});
