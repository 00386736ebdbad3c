import { describe, expect, test } from 'vitest';
import { formatTimestamp } from '../../src/store/rows.js';

describe('formatTimestamp', () => {
  test('writes epoch milliseconds as the KissBot monitor wrote them (Python isoformat, UTC)', () => {
    expect(formatTimestamp(Date.UTC(2026, 11, 3, 16, 43, 34, 447))).toBe(
      '2026-12-03T16:43:34.447000+00:00',
    );
  });

  test('gives each instant its own text, however many instants were formatted before', () => {
    const start = Date.UTC(2026, 0, 1);
    const texts = Array.from({ length: 10_000 }, (_, offset) => formatTimestamp(start + offset));

    expect(new Set(texts).size).toBe(10_000);
    expect(formatTimestamp(start)).toBe('2026-01-01T00:00:00.000000+00:00');
    expect(formatTimestamp(start + 9_999)).toBe('2026-01-01T00:00:09.999000+00:00');
  });

  test('agrees with toISOString on any instant, before 1970 and after', () => {
    const samples = [0, 999, 1000, -1, -1001, 1_764_778_123_456, 253_402_300_799_999, 12.7];
    for (let i = 0; i < 1000; i += 1) samples.push(Math.floor((i * 7_919_113_417) % 4e12) - 1e12);
    for (const ms of samples) {
      const expected = new Date(ms).toISOString().replace('Z', '000+00:00');
      expect(formatTimestamp(ms)).toBe(expected);
    }
  });
});
