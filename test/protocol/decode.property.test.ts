import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/ingest/line-splitter.js';
import { decodeLine, decodeValue } from '../../src/protocol/decode.js';
import { RejectCode } from '../../src/protocol/errors.js';
import type { Message } from '../../src/protocol/messages.js';
import { chunked, streamAmongGarbage } from '../helpers/hostile-streams.js';

const CODES = new Set<string>(Object.values(RejectCode));

function expectCodedResult(result: ReturnType<typeof decodeLine>): void {
  if (!result.ok) expect(CODES).toContain(result.code);
}

const usageLine = (index: number) =>
  JSON.stringify({
    type: 'llm_usage',
    channel: `valid_${index}`,
    model: 'm',
    feature: 'f',
    tokens_in: index,
    tokens_out: 1,
  });

describe('decodeLine, for any input', () => {
  it('never throws on arbitrary bytes and rejects with a catalogue code', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectCodedResult(decodeLine(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary JSON, nested or not, and rejects with a catalogue code', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expectCodedResult(decodeLine(Buffer.from(JSON.stringify(value) ?? 'null')));
        expectCodedResult(decodeValue(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on protocol-shaped objects with hostile field values', () => {
    const hostile = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('__proto__', 'constructor', '', 'x'.repeat(10_000)),
      fc.double(),
    );
    const shaped = fc.record(
      {
        type: fc.constantFrom('register', 'heartbeat', 'unregister', 'llm_usage', 'toString'),
        channel: hostile,
        pid: hostile,
        features: fc.oneof(hostile, fc.dictionary(fc.string(), hostile)),
        tokens_in: hostile,
        rss_mb: hostile,
      },
      { requiredKeys: ['type'] },
    );

    fc.assert(
      fc.property(shaped, (value) => {
        expectCodedResult(decodeLine(Buffer.from(JSON.stringify(value))));
      }),
      { numRuns: 1000 },
    );
  });

  it('still decodes every valid message placed among garbage, in order', () => {
    fc.assert(
      fc.property(
        streamAmongGarbage(usageLine),
        fc.array(fc.nat(), { maxLength: 30 }),
        (stream, cuts) => {
          const decoded: Message[] = [];
          const splitter = new LineSplitter({
            maxLineBytes: stream.maxLineBytes,
            onLine: (line) => {
              const result = decodeLine(line);
              expectCodedResult(result);
              if (result.ok) decoded.push(result.message);
            },
            onOversize: () => undefined,
          });
          for (const chunk of chunked(stream.bytes, cuts)) splitter.push(chunk);
          splitter.end();

          const channels = decoded.map((message) => message.channel);
          expect(channels).toEqual(stream.valid.map((_, index) => `valid_${index}`));
        },
      ),
      { numRuns: 300 },
    );
  });
});
