import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../src/ingest/mailbox.js';

function createMailbox(highWater = 10, lowWater = 5, sliceSize = 4) {
  const slices: number[][] = [];
  const pressure: boolean[] = [];
  const mailbox = new Mailbox<number>({
    highWater,
    lowWater,
    sliceSize,
    onSlice: (items) => slices.push(items),
    onPressure: (paused) => pressure.push(paused),
  });
  return { mailbox, slices, pressure };
}

async function settle(mailbox: Mailbox<number>) {
  while (mailbox.depth > 0) await nextTurn();
}

describe('Mailbox', () => {
  it('delivers items in order, in slices, after the pushes return', async () => {
    const { mailbox, slices } = createMailbox();
    for (let i = 0; i < 9; i += 1) mailbox.push(i);
    expect(slices).toEqual([]);

    await settle(mailbox);
    expect(slices).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
  });

  it('yields to the event loop between slices', async () => {
    const { mailbox, slices } = createMailbox(100, 50, 2);
    for (let i = 0; i < 6; i += 1) mailbox.push(i);

    await nextTurn();
    expect(slices.length).toBe(1);
  });

  it('asks readers to pause at the high-water mark and resume at the low one', async () => {
    const { mailbox, pressure } = createMailbox(10, 5, 3);
    for (let i = 0; i < 12; i += 1) mailbox.push(i);
    expect(pressure).toEqual([true]);
    expect(mailbox.stats).toMatchObject({ paused: true, pauses: 1, maxDepth: 12 });

    await settle(mailbox);
    expect(pressure).toEqual([true, false]);
    expect(mailbox.stats).toMatchObject({ paused: false, depth: 0, pushed: 12, drained: 12 });
  });

  it('drains everything at once on drainAll', () => {
    const { mailbox, slices } = createMailbox();
    for (let i = 0; i < 7; i += 1) mailbox.push(i);
    mailbox.drainAll();
    expect(slices.flat()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
