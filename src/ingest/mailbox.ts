/**
 * The bounded FIFO between the socket readers and the monitor.
 *
 * Readers push and return at once; the mailbox drains itself in slices, yielding to I/O between
 * them (setImmediate) so no burst starves the sockets. Past the high-water mark it asks the
 * readers to pause, and below the low-water mark to resume: the kernel and the client then hold
 * the backlog, and nothing is dropped here.
 *
 * While its consumer is backed up (`isHeld`, the persistence queue over its bound) the mailbox
 * stops draining until `wake()`: it fills, readers pause, and memory stays bounded end to end.
 */

export interface MailboxOptions<T> {
  highWater: number;
  lowWater: number;
  sliceSize: number;
  onSlice: (items: T[]) => void;
  onPressure: (paused: boolean) => void;
  isHeld?: () => boolean;
}

export interface MailboxStats {
  depth: number;
  maxDepth: number;
  pushed: number;
  drained: number;
  slices: number;
  pauses: number;
  holds: number;
  paused: boolean;
}

export class Mailbox<T> {
  private readonly options: MailboxOptions<T>;
  private items: T[] = [];
  private head = 0;
  private drainScheduled = false;
  // Bound once: at one message a slice, a closure per drain would be garbage per message.
  private readonly drainLater = () => this.drainScheduledSlice();
  private held = false;
  private readonly counters = {
    maxDepth: 0,
    pushed: 0,
    drained: 0,
    slices: 0,
    pauses: 0,
    holds: 0,
  };
  private paused = false;

  constructor(options: MailboxOptions<T>) {
    this.options = options;
  }

  get depth(): number {
    return this.items.length - this.head;
  }

  get stats(): MailboxStats {
    return { depth: this.depth, paused: this.paused, ...this.counters };
  }

  push(item: T): void {
    this.items.push(item);
    this.counters.pushed += 1;

    const depth = this.depth;
    if (depth > this.counters.maxDepth) this.counters.maxDepth = depth;
    if (depth >= this.options.highWater && !this.paused) this.setPaused(true);
    this.scheduleDrain();
  }

  /** The consumer has room again: drain what waits. */
  wake(): void {
    if (!this.held) return;

    this.held = false;
    if (this.depth > 0) this.scheduleDrain();
  }

  /** Drains everything now, in slices, without yielding: for shutdown. */
  drainAll(): void {
    while (this.depth > 0) this.drainSlice();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(this.drainLater);
  }

  private drainScheduledSlice(): void {
    this.drainScheduled = false;
    if (this.options.isHeld?.()) {
      this.hold();
      return;
    }
    this.drainSlice();
    if (this.depth > 0) this.scheduleDrain();
  }

  private hold(): void {
    if (!this.held) this.counters.holds += 1;
    this.held = true;
  }

  private drainSlice(): void {
    const slice = this.takeSlice();

    this.counters.drained += slice.length;
    this.counters.slices += 1;
    if (slice.length > 0) this.options.onSlice(slice);
    if (this.paused && this.depth <= this.options.lowWater) this.setPaused(false);
  }

  // A queue that fits in one slice is handed over whole rather than copied.
  private takeSlice(): T[] {
    if (this.head === 0 && this.items.length <= this.options.sliceSize) {
      const slice = this.items;
      this.items = [];
      return slice;
    }

    const end = Math.min(this.items.length, this.head + this.options.sliceSize);
    const slice = this.items.slice(this.head, end);
    this.head = end;
    this.compact();
    return slice;
  }

  // Drop the consumed prefix once it is at least half of the array, so memory tracks depth.
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.counters.pauses += 1;
    this.options.onPressure(paused);
  }
}
