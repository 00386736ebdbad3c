import { describe, expect, it } from 'vitest';
import { PendingBatch } from '../../src/store/pending-batch.js';
import { emptyBatch, formatTimestamp, type Batch, type StatusRow } from '../../src/store/rows.js';
import { usageBatch } from '../helpers/rows.js';

const at = (second: number) => formatTimestamp(Date.parse('2026-12-03T12:00:00Z') + second * 1000);

function statusBatch(channel: string, lastSeen: number): Batch {
  const row = { channel, state: 'alive', last_seen: at(lastSeen) } as StatusRow;
  return { ...emptyBatch(), status: [row] };
}

function seenBatch(channel: string, lastSeen: number): Batch {
  const row = { channel, last_seen: at(lastSeen), updated_at: at(lastSeen) };
  return { ...emptyBatch(), seen: [row] };
}

describe('PendingBatch', () => {
  it('drops a seen row that a later status row of the same bot makes stale', () => {
    const pending = new PendingBatch();
    pending.append(seenBatch('a', 1));
    pending.append(statusBatch('a', 2));

    const batch = pending.take();
    expect(batch.status.map((row) => row.last_seen)).toEqual([at(2)]);
    expect(batch.seen).toEqual([]);
  });

  it('keeps a seen row that comes after the status row, to be written after it', () => {
    const pending = new PendingBatch();
    pending.append(statusBatch('a', 1));
    pending.append(seenBatch('a', 2));
    pending.append(seenBatch('a', 3));

    const batch = pending.take();
    expect(batch.status.map((row) => row.last_seen)).toEqual([at(1)]);
    expect(batch.seen.map((row) => row.last_seen)).toEqual([at(3)]);
    expect(pending.rows).toBe(0);
  });

  it('takes usage rows oldest first up to the limit and leaves the rest queued', () => {
    const pending = new PendingBatch();
    pending.append(statusBatch('a', 1));
    pending.append(usageBatch(10));

    const first = pending.take(4);
    expect(first.status).toHaveLength(1);
    expect(first.usage.map((row) => row.tokens_in)).toEqual([0, 1, 2]);
    expect(pending.take().usage.map((row) => row.tokens_in)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('puts a failed batch back in front of what arrived since', () => {
    const pending = new PendingBatch();
    pending.append(usageBatch(2));
    const failed = pending.take();
    pending.append(usageBatch(2, 2));

    pending.restore(failed);
    expect(pending.take().usage.map((row) => row.tokens_in)).toEqual([0, 1, 2, 3]);
  });
});
