/**
 * What a persistent client holds while it cannot write: bounded, in order, with heartbeats
 * coalesced to the latest one (an older heartbeat says nothing the newer one does not).
 */

/** One line waiting to be written, and how to tell its caller what became of it. */
export interface OutboxEntry {
  line: string;
  heartbeat: boolean;
  settle: ((sent: boolean) => void) | undefined;
}

export interface OutboxCounters {
  /** Lines dropped, oldest first, because the outbox was full. */
  dropped: number;
  /** Heartbeats replaced by a newer one before they could be written. */
  coalesced: number;
}

export class Outbox {
  readonly counters: OutboxCounters = { dropped: 0, coalesced: 0 };

  private readonly capacity: number;
  private entries: OutboxEntry[] = [];
  private heartbeat: OutboxEntry | undefined;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
  }

  get size(): number {
    return this.entries.length;
  }

  get hasHeartbeat(): boolean {
    return this.heartbeat !== undefined;
  }

  /** Queues a line at the end; a heartbeat takes the place of the one already waiting. */
  push(entry: OutboxEntry): void {
    if (entry.heartbeat) this.replaceHeartbeat(entry);
    this.entries.push(entry);

    if (this.entries.length > this.capacity) {
      const oldest = this.take()!;
      this.counters.dropped += 1;
      oldest.settle?.(false);
    }
  }

  /** Removes and returns the oldest line. */
  take(): OutboxEntry | undefined {
    const entry = this.entries.shift();
    if (entry === this.heartbeat) this.heartbeat = undefined;
    return entry;
  }

  /** Tells every waiting caller that its line was not written yet; the lines stay queued. */
  settleAll(sent: boolean): void {
    for (const entry of this.entries) {
      entry.settle?.(sent);
      entry.settle = undefined;
    }
  }

  /** Empties the outbox, counting what it held as dropped. */
  discard(): number {
    const count = this.entries.length;
    this.settleAll(false);
    this.counters.dropped += count;
    this.entries = [];
    this.heartbeat = undefined;
    return count;
  }

  private replaceHeartbeat(entry: OutboxEntry): void {
    const previous = this.heartbeat;
    this.heartbeat = entry;
    if (!previous) return;

    this.entries.splice(this.entries.indexOf(previous), 1);
    this.counters.coalesced += 1;
    previous.settle?.(false);
  }
}
