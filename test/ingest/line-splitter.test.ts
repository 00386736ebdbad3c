import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/ingest/line-splitter.js';

function collect(maxLineBytes = 16) {
  const lines: string[] = [];
  const oversize: number[] = [];
  const splitter = new LineSplitter({
    maxLineBytes,
    onLine: (line) => lines.push(line.toString()),
    onOversize: (bytes) => oversize.push(bytes),
  });
  return { splitter, lines, oversize, push: (text: string) => splitter.push(Buffer.from(text)) };
}

describe('LineSplitter', () => {
  it('splits lines within one chunk and across chunks', () => {
    const { push, lines } = collect();
    push('one\ntw');
    push('o\nthr');
    push('ee\n');
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('delivers a last line without newline when the stream ends', () => {
    const { push, splitter, lines } = collect();
    push('first\nlast');
    expect(lines).toEqual(['first']);
    splitter.end();
    expect(lines).toEqual(['first', 'last']);
  });

  it('accepts CRLF endings and passes over empty lines', () => {
    const { push, lines } = collect();
    push('a\r\n\n\r\nb\n');
    expect(lines).toEqual(['a', 'b']);
  });

  it('skips an over-long line up to its newline and reads on', () => {
    const { push, lines, oversize, splitter } = collect(8);
    push('ok\n0123456789');
    expect(splitter.buffered).toBe(0);
    push('abcdef\nnext\n');
    expect(lines).toEqual(['ok', 'next']);
    expect(oversize).toHaveLength(1);
  });

  it('reports an over-long line that arrives whole in one chunk', () => {
    const { push, lines, oversize } = collect(4);
    push('12345\nabcd\n');
    expect(lines).toEqual(['abcd']);
    expect(oversize).toEqual([5]);
  });

  it('holds at most the line limit for an unfinished line', () => {
    const { push, splitter, oversize } = collect(10);
    for (let i = 0; i < 100; i += 1) {
      push('xxx');
      expect(splitter.buffered).toBeLessThanOrEqual(10);
    }
    expect(oversize).toHaveLength(1);
  });

  it('does not deliver a skipped line at the end of the stream', () => {
    const { push, splitter, lines } = collect(4);
    push('toolong');
    splitter.end();
    expect(lines).toEqual([]);
  });

  it('tells each line and each oversize apart by splitter when they share one options object', () => {
    const seen: string[] = [];
    const options = {
      maxLineBytes: 8,
      onLine: (line: Buffer, from: string) => seen.push(`${from}:${line.toString()}`),
      onOversize: (bytes: number, from: string) => seen.push(`${from}:oversize ${bytes}`),
    };
    const a = new LineSplitter(options, 'a');
    const b = new LineSplitter(options, 'b');

    a.push(Buffer.from('on'));
    b.push(Buffer.from('tw'));
    a.push(Buffer.from('e\nlast'));
    b.push(Buffer.from('o\n123456789\n'));
    b.end();
    a.end();
    expect(seen).toEqual(['a:one', 'b:two', 'b:oversize 9', 'a:last']);
  });
});
