import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../src/ingest/mailbox.js';

describe('Mailbox held by its consumer', () => {
  it('stops draining while held, pauses readers when full, and drains all in order on wake', async () => {
    let held = true;
    const drained: number[] = [];
    const pressure: boolean[] = [];
    const mailbox = new Mailbox<number>({
      highWater: 10,
      lowWater: 5,
      sliceSize: 4,
      onSlice: (items) => drained.push(...items),
      onPressure: (paused) => pressure.push(paused),
      isHeld: () => held,
    });

    for (let i = 0; i < 12; i += 1) mailbox.push(i);
    for (let turn = 0; turn < 5; turn += 1) await nextTurn();
    expect(drained).toEqual([]);
    expect(mailbox.stats).toMatchObject({ depth: 12, holds: 1, paused: true });
    expect(pressure).toEqual([true]);

    held = false;
    mailbox.wake();
    while (mailbox.depth > 0) await nextTurn();
    expect(drained).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(pressure).toEqual([true, false]);
  });

  it('ignores a wake while not held', async () => {
    const drained: number[] = [];
    const mailbox = new Mailbox<number>({
      highWater: 10,
      lowWater: 5,
      sliceSize: 4,
      onSlice: (items) => drained.push(...items),
      onPressure: () => undefined,
      isHeld: () => false,
    });

    mailbox.push(1);
    mailbox.wake();
    while (mailbox.depth > 0) await nextTurn();
    expect(drained).toEqual([1]);
    expect(mailbox.stats.holds).toBe(0);
  });
});
