import { describe, expect, it } from 'vitest';
import { resolveBackoffMs } from '../../src/client/backoff.js';

describe('resolveBackoffMs', () => {
  const options = { minMs: 100, maxMs: 10_000 };

  it('doubles the ceiling with each failed attempt', () => {
    const highest = (attempt: number) => resolveBackoffMs(attempt, { ...options, random: () => 1 });

    expect([0, 1, 2, 3].map(highest)).toEqual([100, 200, 400, 800]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(resolveBackoffMs(1000, { ...options, random: () => 1 })).toBe(10_000);
  });

  it('spreads retries between the minimum and the ceiling', () => {
    expect(resolveBackoffMs(5, { ...options, random: () => 0 })).toBe(100);
    expect(resolveBackoffMs(5, { ...options, random: () => 0.5 })).toBe(1650);
  });
});
