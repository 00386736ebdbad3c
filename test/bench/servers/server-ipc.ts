/**
 * What the harness and a server child say to each other over the IPC channel, and the
 * progress recorder every server keeps: when did its count of persisted rows reach N?
 */
import type { Summary } from '../summary.js';
import { getHeapSpaceStatistics } from 'node:v8';
import { preciseNow } from '../precise-time.js';

export type ToServer =
  | { kind: 'await'; rows: number; timeoutMs: number }
  | { kind: 'stats' }
  | { kind: 'reset' }
  | { kind: 'collect' }
  | { kind: 'stop' };

export interface ServerStats {
  /** Usage rows persisted (counted, for the parse-only baseline). */
  rows: number;
  lines: number;
  invalid: number;
  accepted: number;
  flushMs: Summary | null;
  /** Heartbeats stamped `t=<ms>` in their status: write → applied by the bot actor. */
  appliedLagMs?: Summary | null;
  /** The same heartbeats: write → their status row committed. */
  persistedLagMs?: Summary | null;
  /** Epoch ms of each channel's first transition to `registered`. */
  registeredAt?: Record<string, number>;
  bots?: number;
  /** kissmon's mailbox: messages queued now, and the most queued since the last reset. */
  mailboxDepth?: number;
  mailboxMaxDepth?: number;
}

export type FromServer =
  | { kind: 'ready' }
  | { kind: 'awaited'; reached: boolean; at: number | null; rows: number }
  | { kind: 'stats'; stats: ServerStats }
  | { kind: 'reset' }
  | { kind: 'collected'; heapUsedBytes: number; memory: NodeJS.MemoryUsage };

export class ProgressRecorder {
  private readonly times: number[] = [];
  private readonly counts: number[] = [];
  private waiters: { rows: number; resolve: () => void }[] = [];

  get count(): number {
    return this.counts.at(-1) ?? 0;
  }

  record(count: number): void {
    // A count already recorded keeps its first time, so repeats need no entry: the parse-only
    // baseline records on every chunk, and 600,000 entries would weigh on its RSS.
    if (this.counts.length > 0 && count === this.count) return;
    this.times.push(preciseNow());
    this.counts.push(count);

    const due = this.waiters.filter((waiter) => count >= waiter.rows);
    this.waiters = this.waiters.filter((waiter) => count < waiter.rows);
    for (const waiter of due) waiter.resolve();
  }

  /** When the count first reached `rows`, or null when it did not within `timeoutMs`. */
  async reach(rows: number, timeoutMs: number): Promise<number | null> {
    if (this.count < rows) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.waiters.push({ rows, resolve: () => (clearTimeout(timer), resolve()) });
      });
    }
    return this.firstTimeAt(rows);
  }

  private firstTimeAt(rows: number): number | null {
    let low = 0;
    let high = this.counts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.counts[middle]! >= rows) high = middle;
      else low = middle + 1;
    }
    return low < this.counts.length ? this.times[low]! : null;
  }
}

/** Answers the harness's requests; `stats` and `reset` come from the server at hand. */
export function serveHarness(
  progress: ProgressRecorder,
  handlers: { stats: () => ServerStats; reset?: () => void; stop: () => Promise<void> },
): void {
  const reply = (message: FromServer) => process.send!(message);

  process.on('message', (message: ToServer) => {
    switch (message.kind) {
      case 'await':
        void progress.reach(message.rows, message.timeoutMs).then((at) => {
          reply({ kind: 'awaited', reached: at !== null, at, rows: progress.count });
        });
        break;
      case 'stats':
        reply({ kind: 'stats', stats: handlers.stats() });
        break;
      case 'reset':
        handlers.reset?.();
        reply({ kind: 'reset' });
        break;
      case 'collect':
        // Servers run with --expose-gc (server-process.ts), for the RSS of what they retain.
        (globalThis as { gc?: () => void }).gc?.();
        const memory = process.memoryUsage();
        if (process.env.BENCH_MEMORY) process.stderr.write(`${describeHeapSpaces()}\n`);
        reply({ kind: 'collected', heapUsedBytes: memory.heapUsed, memory });
        break;
      case 'stop':
        void handlers.stop().then(() => process.exit(0));
        break;
    }
  });
  process.on('disconnect', () => process.exit(0));
  reply({ kind: 'ready' });
}

/** Each V8 heap space's size and use (MiB), for BENCH_MEMORY: where the heap's slack is. */
function describeHeapSpaces(): string {
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return getHeapSpaceStatistics()
    .filter((space) => space.space_size > 0)
    .map((space) => `${space.space_name} ${mib(space.space_used_size)}/${mib(space.space_size)}`)
    .join(', ');
}
