/**
 * Splits a byte stream into lines, holding at most `maxLineBytes` of any unfinished line.
 *
 * A line over the limit is reported once and skipped up to its next newline; whatever follows
 * is read as usual. A last line without a newline counts when the stream ends.
 */

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * What a splitter does with its lines. One options object may serve many splitters: each
 * passes its own `from` to the callbacks, so a reader per connection needs no closures of its own.
 */
export interface LineSplitterOptions<T = void> {
  maxLineBytes: number;
  onLine: (line: Buffer, from: T) => void;
  /** Called once per oversized line, with the bytes seen of it so far. */
  onOversize: (bytes: number, from: T) => void;
}

export class LineSplitter<T = void> {
  private readonly options: LineSplitterOptions<T>;
  private readonly from: T;
  // Most lines arrive whole in one chunk: nothing is held, and no array is made until one is.
  private parts: Buffer[] | undefined;
  private partBytes = 0;
  private skipping = false;

  constructor(options: LineSplitterOptions<void>);
  constructor(options: LineSplitterOptions<T>, from: T);
  constructor(options: LineSplitterOptions<T>, from?: T) {
    this.options = options;
    this.from = from as T;
  }

  /** Bytes held for an unfinished line; never more than maxLineBytes. */
  get buffered(): number {
    return this.partBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);

    while (newline !== -1) {
      this.finishLine(chunk, start, newline);
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }

    if (start < chunk.length) this.hold(chunk, start);
  }

  /** The stream ended: what is held is the last line. */
  end(): void {
    const { parts, partBytes, skipping } = this;
    this.reset();
    if (skipping || parts === undefined) return;

    const line = Buffer.concat(parts, partBytes);
    this.emit(line, 0, line.length);
  }

  private finishLine(chunk: Buffer, start: number, end: number): void {
    if (this.skipping) {
      this.reset();
      return;
    }

    const total = this.partBytes + end - start;
    if (total > this.options.maxLineBytes) {
      this.reset();
      this.options.onOversize(total, this.from);
      return;
    }

    if (this.parts === undefined) {
      this.emit(chunk, start, end);
      return;
    }
    this.parts.push(chunk.subarray(start, end));
    const line = Buffer.concat(this.parts, total);
    this.reset();
    this.emit(line, 0, line.length);
  }

  private hold(chunk: Buffer, start: number): void {
    if (this.skipping) return;

    const total = this.partBytes + chunk.length - start;
    if (total > this.options.maxLineBytes) {
      this.reset();
      this.skipping = true;
      this.options.onOversize(total, this.from);
      return;
    }

    // Copy: the chunk's memory belongs to the socket and may be large.
    this.parts ??= [];
    this.parts.push(Buffer.from(chunk.subarray(start)));
    this.partBytes = total;
  }

  // A CRLF line ending is accepted; an empty line carries nothing and is passed over.
  private emit(bytes: Buffer, start: number, end: number): void {
    if (end > start && bytes[end - 1] === CARRIAGE_RETURN) end -= 1;
    if (end > start) this.options.onLine(bytes.subarray(start, end), this.from);
  }

  private reset(): void {
    this.parts = undefined;
    this.partBytes = 0;
    this.skipping = false;
  }
}
