/**
 * The persistence actor's queue: status and seen rows coalesced per channel (only the latest
 * matters), usage and event rows appended in arrival order.
 */
import { countRows, type Batch, type SeenRow, type StatusRow } from './rows.js';

export class PendingBatch {
  private status = new Map<string, StatusRow>();
  private seen = new Map<string, SeenRow>();
  private usage: Batch['usage'] = [];
  private events: Batch['events'] = [];
  private metrics: Batch['metrics'] = [];

  get rows(): number {
    const { status, seen, usage, events, metrics } = this;
    return status.size + seen.size + usage.length + events.length + metrics.length;
  }

  // A status row carries the bot's last_seen as of its making, so it overrides an older seen row;
  // a seen row that comes after it is newer and is written after it.
  append(batch: Batch): void {
    for (const row of batch.status) {
      this.status.set(row.channel, row);
      this.seen.delete(row.channel);
    }
    for (const row of batch.seen) this.seen.set(row.channel, row);
    for (const row of batch.usage) this.usage.push(row);
    for (const row of batch.events) this.events.push(row);
    for (const row of batch.metrics) this.metrics.push(row);
  }

  /**
   * Takes what the queue holds, ready for one transaction: every status, seen and event row (at
   * most a few per bot), and metric and usage rows, oldest first, up to `limit` rows in all.
   */
  take(limit = Infinity): Batch {
    const status = [...this.status.values()];
    const seen = [...this.seen.values()];
    const { events } = this;
    let room = Math.max(0, limit - status.length - seen.length - events.length);
    const metrics = this.metrics.splice(0, room);
    room -= metrics.length;
    const usage = this.usage.splice(0, room);

    this.status = new Map();
    this.seen = new Map();
    this.events = [];
    return { status, seen, usage, events, metrics };
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
