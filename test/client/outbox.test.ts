import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxEntry } from '../../src/client/outbox.js';

function entry(line: string, heartbeat = false, settled: boolean[] = []): OutboxEntry {
  return { line, heartbeat, settle: (sent) => settled.push(sent) };
}

function drain(outbox: Outbox): string[] {
  const lines: string[] = [];
  for (let next = outbox.take(); next; next = outbox.take()) lines.push(next.line);
  return lines;
}

describe('Outbox', () => {
  it('keeps lines in the order they were pushed', () => {
    const outbox = new Outbox(10);
    for (const line of ['a', 'b', 'c']) outbox.push(entry(line));

    expect(drain(outbox)).toEqual(['a', 'b', 'c']);
  });

  it('keeps only the latest heartbeat, at the place of its arrival', () => {
    const outbox = new Outbox(10);
    const settled: boolean[] = [];
    outbox.push(entry('hb1', true, settled));
    outbox.push(entry('usage'));
    outbox.push(entry('hb2', true));

    expect(outbox.counters.coalesced).toBe(1);
    expect(settled).toEqual([false]);
    expect(drain(outbox)).toEqual(['usage', 'hb2']);
    expect(outbox.hasHeartbeat).toBe(false);
  });

  it('drops the oldest line past its capacity and counts it', () => {
    const outbox = new Outbox(3);
    const settled: boolean[] = [];
    for (const line of ['a', 'b', 'c', 'd', 'e']) outbox.push(entry(line, false, settled));

    expect(outbox.size).toBe(3);
    expect(outbox.counters.dropped).toBe(2);
    expect(settled).toEqual([false, false]);
    expect(drain(outbox)).toEqual(['c', 'd', 'e']);
  });

  it('forgets a dropped heartbeat so the next one is not coalesced with it', () => {
    const outbox = new Outbox(2);
    outbox.push(entry('hb1', true));
    outbox.push(entry('a'));
    outbox.push(entry('b'));
    outbox.push(entry('hb2', true));

    expect(outbox.counters).toEqual({ dropped: 2, coalesced: 0 });
    expect(drain(outbox)).toEqual(['b', 'hb2']);
  });

  it('counts what it still holds as dropped when discarded', () => {
    const outbox = new Outbox(5);
    const settled: boolean[] = [];
    outbox.push(entry('a', false, settled));
    outbox.push(entry('hb', true, settled));

    expect(outbox.discard()).toBe(2);
    expect(outbox.counters.dropped).toBe(2);
    expect(settled).toEqual([false, false]);
    expect(outbox.size).toBe(0);
  });
});
