/**
 * Closes connections that have sent nothing for the idle timeout.
 *
 * One sweep timer for all connections, on the injected clock, instead of a timer per socket:
 * tests drive it with XState's SimulatedClock, and a flood of connections costs no timer churn.
 * A connection is closed between one and one and a quarter idle timeouts after its last byte.
 */
import type { Clock } from '../clock.js';

export interface IdleSweeperOptions<T> {
  idleTimeoutMs: number;
  clock: Clock;
  onIdle: (connection: T) => void;
}

export class IdleSweeper<T> {
  private readonly options: IdleSweeperOptions<T>;
  private readonly lastActivity = new Map<T, number>();
  private readonly sweepMs: number;
  private timer: unknown;

  constructor(options: IdleSweeperOptions<T>) {
    this.options = options;
    this.sweepMs = Math.max(1, Math.ceil(options.idleTimeoutMs / 4));
  }

  track(connection: T): void {
    this.lastActivity.set(connection, this.options.clock.now());
    if (this.timer === undefined) this.schedule();
  }

  touch(connection: T): void {
    if (this.lastActivity.has(connection)) {
      this.lastActivity.set(connection, this.options.clock.now());
    }
  }

  forget(connection: T): void {
    this.lastActivity.delete(connection);
  }

  stop(): void {
    if (this.timer === undefined) return;
    this.cancel(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    this.timer = undefined;
    const cutoff = this.options.clock.now() - this.options.idleTimeoutMs;

    for (const [connection, last] of this.lastActivity) {
      if (last > cutoff) continue;
      this.lastActivity.delete(connection);
      this.options.onIdle(connection);
    }

    if (this.lastActivity.size > 0) this.schedule();
  }

  private schedule(): void {
    const { timers } = this.options.clock;
    const fire = () => this.sweep();
    this.timer = timers
      ? timers.setTimeout(fire, this.sweepMs)
      : setTimeout(fire, this.sweepMs).unref();
  }

  private cancel(timer: unknown): void {
    const { timers } = this.options.clock;
    if (timers) timers.clearTimeout(timer);
    else clearTimeout(timer as NodeJS.Timeout);
  }
}
