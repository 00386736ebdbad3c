import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/messages.js';
import { createMonitor, heartbeat, register, unregister } from '../helpers/monitor.js';

describe('Monitor', () => {
  it('folds a run of one bot heartbeats into one event and hands over one batch a slice', () => {
    const { monitor, batches } = createMonitor();
    monitor.handleSlice([register('a'), ...Array.from({ length: 50 }, () => heartbeat('a'))]);

    expect(batches).toHaveLength(1);
    expect(batches[0]!.events.map((row) => row.to_state)).toEqual(['registered', 'alive']);
    expect(batches[0]!.status).toHaveLength(1);
    expect(batches[0]!.seen).toHaveLength(0);
    expect(monitor.listBots()[0]!.pulse.heartbeats).toBe(50);
    expect(monitor.messages.heartbeat).toBe(50);
  });

  it('marks only last_seen for heartbeats of an alive bot, without an event to its actor', () => {
    const { monitor, clock, batches } = createMonitor();
    monitor.handleSlice([register('a'), heartbeat('a')]);
    const sent: string[] = [];
    monitor.listActors()[0]!.system.inspect({
      next: (event) => {
        if (event.type === '@xstate.event') sent.push(event.event.type);
      },
    });

    clock.increment(1000);
    monitor.handleSlice([{ ...heartbeat('a'), status: 'busy' } as Message, heartbeat('a')]);

    expect(sent).toEqual([]);
    expect(batches.at(-1)).toMatchObject({ status: [], events: [], seen: [{ channel: 'a' }] });
    expect(batches.at(-1)!.seen[0]!.last_seen).toBe('2026-12-03T12:00:01.000000+00:00');
    expect(monitor.listBots()[0]!.pulse).toMatchObject({ heartbeats: 3, statusText: 'busy' });
  });

  it('keeps the order of heartbeats and lifecycle messages of one bot within a slice', () => {
    const { monitor, batches } = createMonitor();
    monitor.handleSlice([register('a'), heartbeat('a'), unregister('a'), heartbeat('a')]);

    const states = batches.flatMap((batch) => batch.events.map((row) => row.to_state));
    expect(states).toEqual(['registered', 'alive', 'unregistered', 'alive']);
  });

  it('writes one self-reported metric row per bot and probe interval, and shows the latest', () => {
    const { monitor, clock, batches } = createMonitor({ selfReportIntervalMs: 15_000 });
    const report = (rss: number): Message =>
      ({ ...heartbeat('a'), rss_mb: rss, cpu_pct: 1 }) as Message;
    monitor.handleSlice([register('a')]);
    for (let second = 0; second < 30; second += 1) {
      monitor.handleSlice([report(100 + second)]);
      clock.increment(1000);
    }
    monitor.handleSlice([{ ...heartbeat('a'), cpu_pct: 7 } as Message]);

    const rows = batches.flatMap((batch) => batch.metrics);
    expect(rows.map((row) => [row.rss_mb, row.source])).toEqual([
      [100, 'self'],
      [115, 'self'],
    ]);
    expect(monitor.listBots()[0]!.sample).toMatchObject({ rssMb: 129, source: 'self' });
    expect(monitor.listBots()[0]!.pulse).toMatchObject({ rssMb: 129, cpuPct: 7 });
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

  it('creates every bot under one fleet actor, so they share one system, and stops them all', () => {
    const { monitor, clock } = createMonitor();
    monitor.handleSlice([register('a'), register('b', 11)]);
    monitor.handleSlice([{ ...register('b', 12) }]);
    const [fleet, a, b] = monitor.listActors();
    expect(a!.system).toBe(fleet!.system);
    expect(b!.system).toBe(fleet!.system);

    monitor.stop();
    expect([fleet, a, b].map((actor) => actor!.getSnapshot().status)).toEqual([
      'stopped',
      'stopped',
      'stopped',
    ]);
    clock.increment(3_600_000);
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
