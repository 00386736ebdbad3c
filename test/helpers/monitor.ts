import { pino } from 'pino';
import { SimulatedClock } from 'xstate';
import type { TimerClock } from '../../src/clock.js';
import { Monitor, type MonitorOptions } from '../../src/monitor/monitor.js';
import { trustingTable } from '../../src/probe/process-table.js';
import type { Message } from '../../src/protocol/messages.js';
import type { Batch } from '../../src/store/rows.js';

export const START = Date.parse('2026-12-03T12:00:00Z');

/** A Monitor on a SimulatedClock, collecting the batches it hands to persistence. */
export function createMonitor(
  options: Partial<Pick<MonitorOptions, 'selfReportIntervalMs' | 'staleTimeoutMs'>> = {},
  timers?: (clock: SimulatedClock) => TimerClock,
) {
  const clock = new SimulatedClock();
  clock.set(START);
  const batches: Batch[] = [];
  const refused: string[] = [];
  const monitor = new Monitor({
    clock: { now: () => clock.now(), timers: timers?.(clock) ?? clock },
    logger: pino({ level: 'silent' }),
    processes: trustingTable,
    staleTimeoutMs: 60_000,
    staleGraceMs: 10_000,
    crashLoopRegisters: 5,
    crashLoopWindowMs: 600_000,
    selfReportIntervalMs: 15_000,
    persist: (batch) => batches.push(batch),
    refuse: (code) => refused.push(code),
    ...options,
  });
  return { monitor, clock, batches, refused };
}

export const register = (channel: string, pid = 10): Message => ({
  type: 'register',
  channel,
  pid,
  features: {},
});

export const heartbeat = (channel: string, pid = 10): Message => ({
  type: 'heartbeat',
  channel,
  pid,
});

export const unregister = (channel: string, pid = 10): Message => ({
  type: 'unregister',
  channel,
  pid,
});
