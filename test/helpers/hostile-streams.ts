/** fast-check arbitraries for hostile byte streams with good lines hidden among garbage. */
import fc from 'fast-check';

export interface StreamAmongGarbage {
  bytes: Buffer;
  /** The good lines, in the order they were placed, without their newlines. */
  valid: Buffer[];
  maxLineBytes: number;
}

/** Garbage: any bytes (newlines and over-long runs included), ended by a newline. */
const garbage = fc
  .uint8Array({ maxLength: 400 })
  .map((bytes) => Buffer.concat([Buffer.from(bytes), Buffer.from('\n')]));

/**
 * A stream of garbage and good lines, interleaved at random. Each good line is unique and
 * begins a line, since whatever precedes it ends with a newline.
 */
export function streamAmongGarbage(
  toLine: (index: number) => string = (index) => `good line ${index} ${'.'.repeat(index % 7)}`,
): fc.Arbitrary<StreamAmongGarbage> {
  return fc
    .record({
      maxLineBytes: fc.integer({ min: 128, max: 300 }),
      parts: fc.array(fc.option(garbage, { freq: 2 }), { maxLength: 40 }),
    })
    .map(({ maxLineBytes, parts }) => {
      const valid: Buffer[] = [];
      const pieces = parts.map((part) => {
        if (part !== null) return part;
        const line = Buffer.from(toLine(valid.length));
        valid.push(line);
        return Buffer.concat([line, Buffer.from('\n')]);
      });
      return { bytes: Buffer.concat(pieces), valid, maxLineBytes };
    });
}

/** Cuts a buffer into chunks at the given positions (taken modulo its length). */
export function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  if (bytes.length === 0) return [];

  const positions = [...new Set(cuts.map((cut) => cut % bytes.length))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const position of positions) {
    chunks.push(bytes.subarray(start, position));
    start = position;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}
