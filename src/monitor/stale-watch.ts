/**
 * One timer for every bot's heartbeat deadline: it wakes at the earliest deadline, and the
 * monitor's sweep tells the overdue bots and returns the next deadline.
 *
 * A heartbeat only ever moves its bot's deadline later, so it costs the monitor a field write
 * and no timer at all. Re-arming an XState delay on every heartbeat instead was most of kissmon's
 * CPU at 10,000 bots (docs/BENCHMARKS.md). The timer runs on the injected clock, so tests drive
 * it with XState's SimulatedClock like every other delay.
 */
import type { Clock } from '../clock.js';

/** Tells the bots overdue at `now`; returns the earliest deadline left (Infinity for none). */
export type Sweep = (now: number) => number;

export class StaleWatch {
  private timer: unknown;
  private wakeAt = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly sweep: Sweep,
  ) {}

  /** Makes sure the watch wakes no later than `dueAt` (epoch ms). */
  arm(dueAt: number): void {
    if (dueAt < this.wakeAt) this.schedule(dueAt);
  }

  stop(): void {
    this.schedule(Infinity);
  }

  private schedule(dueAt: number): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.wakeAt = dueAt;
    if (dueAt === Infinity) return;

    const delay = Math.max(0, dueAt - this.clock.now());
    this.timer = this.setTimer(() => this.wake(), delay);
  }

  private wake(): void {
    this.timer = undefined;
    this.wakeAt = Infinity;
    // The sweep's transitions may arm the watch again before it returns.
    this.arm(this.sweep(this.clock.now()));
  }

  private setTimer(callback: () => void, ms: number): unknown {
    const { timers } = this.clock;
    return timers ? timers.setTimeout(callback, ms) : setTimeout(callback, ms);
  }

  private clearTimer(timer: unknown): void {
    const { timers } = this.clock;
    if (timers) timers.clearTimeout(timer);
    else clearTimeout(timer as NodeJS.Timeout);
  }
}
