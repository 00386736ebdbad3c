/**
 * The per-message mode, the Python KissBot client's behaviour: every line on a connection of its
 * own, opened, written and closed. Nothing is kept for later; a bounded number of sends may be
 * in flight at once, and a send beyond that is dropped.
 */
import { openConnection } from './connect.js';

export interface PerMessageSenderOptions {
  socketPath: string;
  connectTimeoutMs: number;
  maxInFlight: number;
}

export interface PerMessageCounters {
  sent: number;
  dropped: number;
}

export class PerMessageSender {
  readonly counters: PerMessageCounters = { sent: 0, dropped: 0 };

  private readonly options: PerMessageSenderOptions;
  private inFlight = new Set<Promise<boolean>>();
  private closed = false;

  constructor(options: PerMessageSenderOptions) {
    this.options = options;
  }

  /** Sends one line on a new connection; resolves true once the kernel has taken it. */
  send(line: string): Promise<boolean> {
    if (this.closed || this.inFlight.size >= this.options.maxInFlight) {
      this.counters.dropped += 1;
      return Promise.resolve(false);
    }

    const sending = this.deliver(line);
    this.inFlight.add(sending);
    void sending.then((sent) => {
      this.inFlight.delete(sending);
      if (sent) this.counters.sent += 1;
      else this.counters.dropped += 1;
    });
    return sending;
  }

  /** Waits for the sends in flight, at most `timeoutMs`; resolves true if all of them landed. */
  async close(timeoutMs: number): Promise<boolean> {
    this.closed = true;

    let deadline: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean[]>((resolve) => {
      deadline = setTimeout(() => resolve([false]), timeoutMs);
    });
    const results = await Promise.race([Promise.all(this.inFlight), expired]);
    clearTimeout(deadline);
    return results.every(Boolean);
  }

  private async deliver(line: string): Promise<boolean> {
    const { socketPath, connectTimeoutMs } = this.options;
    const result = await openConnection({ socketPath, timeoutMs: connectTimeoutMs });
    if (result instanceof Error) return false;
    const socket = result;

    // Once the kernel holds the line the monitor will read it even after this side is gone,
    // so the socket is destroyed at once instead of waiting for the monitor to close its end.
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), connectTimeoutMs).unref();
      function done(sent: boolean): void {
        clearTimeout(timer);
        socket.destroy();
        resolve(sent);
      }

      socket.unref();
      socket.on('error', () => done(false));
      socket.end(`${line}\n`, () => done(true));
    });
  }
}
