/**
 * Closes connections that have sent nothing for the idle timeout.
 *
 * One sweep timer for all connections, on the injected clock, instead of a timer per socket:
 * tests drive it with XState's SimulatedClock, and a flood of connections costs no timer churn.
 * Each connection carries its own last-activity time, and the sweeper walks the listener's own
 * set of them, so tracking one costs no map entry. A connection is closed between one and one
 * and a quarter idle timeouts after its last byte.
 */
import type { Clock } from '../clock.js';

export interface IdleTracked {
  /** Epoch milliseconds of the connection's last byte, or of its accept. */
  lastActive: number;
}

export interface IdleSweeperOptions<T extends IdleTracked> {
  idleTimeoutMs: number;
  clock: Clock;
  connections: ReadonlySet<T>;
  onIdle: (connection: T) => void;
}

const SWEEPS_PER_TIMEOUT = 4;

export class IdleSweeper<T extends IdleTracked> {
  private readonly options: IdleSweeperOptions<T>;
  private readonly sweepMs: number;
  private readonly fire = () => this.sweep();
  private timer: unknown;

  constructor(options: IdleSweeperOptions<T>) {
    this.options = options;
    this.sweepMs = Math.max(1, Math.ceil(options.idleTimeoutMs / SWEEPS_PER_TIMEOUT));
  }

  /** Marks the connection active now, and sweeps from now on if no sweep is due. */
  track(connection: T): void {
    connection.lastActive = this.options.clock.now();
    if (this.timer === undefined) this.schedule();
  }

  touch(connection: T): void {
    connection.lastActive = this.options.clock.now();
  }

  stop(): void {
    if (this.timer === undefined) return;
    this.cancel(this.timer);
    this.timer = undefined;
  }

  // A connection closed here stays in the set until its socket's 'close'; by the next sweep,
  // a quarter of the timeout later, it is gone.
  private sweep(): void {
    this.timer = undefined;
    const { connections, clock, idleTimeoutMs, onIdle } = this.options;
    const cutoff = clock.now() - idleTimeoutMs;

    for (const connection of connections) {
      if (connection.lastActive <= cutoff) onIdle(connection);
    }

    if (connections.size > 0) this.schedule();
  }

  private schedule(): void {
    const { timers } = this.options.clock;
    this.timer = timers
      ? timers.setTimeout(this.fire, this.sweepMs)
      : setTimeout(this.fire, this.sweepMs).unref();
  }

  private cancel(timer: unknown): void {
    const { timers } = this.options.clock;
    if (timers) timers.clearTimeout(timer);
    else clearTimeout(timer as NodeJS.Timeout);
  }
}
