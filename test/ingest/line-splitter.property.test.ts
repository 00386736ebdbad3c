import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/ingest/line-splitter.js';
import { chunked, streamAmongGarbage } from '../helpers/hostile-streams.js';

function split(maxLineBytes: number, chunks: Buffer[], end = true) {
  const lines: Buffer[] = [];
  let oversized = 0;
  let maxHeld = 0;
  const splitter = new LineSplitter({
    maxLineBytes,
    onLine: (line) => lines.push(Buffer.from(line)),
    onOversize: () => (oversized += 1),
  });

  for (const chunk of chunks) {
    splitter.push(chunk);
    maxHeld = Math.max(maxHeld, splitter.buffered);
  }
  if (end) splitter.end();
  return { lines, oversized, maxHeld };
}

describe('LineSplitter, for any byte stream', () => {
  it('never throws, holds at most the line limit, and emits no line over it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 256 }),
        fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 20 }),
        fc.boolean(),
        (maxLineBytes, chunks, end) => {
          const { lines, maxHeld } = split(
            maxLineBytes,
            chunks.map((chunk) => Buffer.from(chunk)),
            end,
          );

          expect(maxHeld).toBeLessThanOrEqual(maxLineBytes);
          for (const line of lines) expect(line.length).toBeLessThanOrEqual(maxLineBytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('delivers every valid line placed among garbage, in order, however it is chunked', () => {
    fc.assert(
      fc.property(
        streamAmongGarbage(),
        fc.array(fc.nat(), { maxLength: 30 }),
        ({ bytes, valid, maxLineBytes }, cuts) => {
          const { lines, maxHeld } = split(maxLineBytes, chunked(bytes, cuts));

          const delivered = lines.map((line) => line.toString('latin1'));
          const expected = valid.map((line) => line.toString('latin1'));
          expect(delivered.filter((line) => expected.includes(line))).toEqual(expected);
          expect(maxHeld).toBeLessThanOrEqual(maxLineBytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports each line over the limit once and only those', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 64 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (maxLineBytes, lengths, cuts) => {
          const stream = Buffer.from(lengths.map((n) => `${'x'.repeat(n)}\n`).join(''));
          const { lines, oversized } = split(maxLineBytes, chunked(stream, cuts));

          expect(oversized).toBe(lengths.filter((n) => n > maxLineBytes).length);
          expect(lines.map((line) => line.length)).toEqual(
            lengths.filter((n) => n <= maxLineBytes),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
