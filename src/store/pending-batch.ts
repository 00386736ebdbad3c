/**
 * The persistence actor's queue: status rows coalesced per channel (only the latest matters),
 * usage and event rows appended in arrival order.
 */
import { countRows, type Batch, type StatusRow } from './rows.js';

export class PendingBatch {
  private status = new Map<string, StatusRow>();
  private usage: Batch['usage'] = [];
  private events: Batch['events'] = [];
  private metrics: Batch['metrics'] = [];

  get rows(): number {
    return this.status.size + this.usage.length + this.events.length + this.metrics.length;
  }

  append(batch: Batch): void {
    for (const row of batch.status) this.status.set(row.channel, row);
    for (const row of batch.usage) this.usage.push(row);
    for (const row of batch.events) this.events.push(row);
    for (const row of batch.metrics) this.metrics.push(row);
  }

  /** Empties the queue and returns what it held, ready for one transaction. */
  take(): Batch {
    const { usage, events, metrics } = this;
    const batch = { status: [...this.status.values()], usage, events, metrics };
    this.status = new Map();
    this.usage = [];
    this.events = [];
    this.metrics = [];
    return batch;
  }

  /**
   * Puts a batch whose write failed back in front of what arrived since, so a retry writes
   * everything in the original order and newer status rows still win.
   */
  restore(batch: Batch): void {
    if (countRows(batch) === 0) return;

    const newer = this.take();
    this.append(batch);
    this.append(newer);
  }
}
