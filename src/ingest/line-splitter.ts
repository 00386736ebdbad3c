/**
 * Splits a byte stream into lines, holding at most `maxLineBytes` of any unfinished line.
 *
 * A line over the limit is reported once and skipped up to its next newline; whatever follows
 * is read as usual. A last line without a newline counts when the stream ends.
 */

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface LineSplitterOptions {
  maxLineBytes: number;
  onLine: (line: Buffer) => void;
  /** Called once per oversized line, with the bytes seen of it so far. */
  onOversize: (bytes: number) => void;
}

export class LineSplitter {
  private readonly options: LineSplitterOptions;
  private parts: Buffer[] = [];
  private partBytes = 0;
  private skipping = false;

  constructor(options: LineSplitterOptions) {
    this.options = options;
  }

  /** Bytes held for an unfinished line; never more than maxLineBytes. */
  get buffered(): number {
    return this.partBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, start);

    while (newline !== -1) {
      this.finishLine(chunk.subarray(start, newline));
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }

    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** The stream ended: what is held is the last line. */
  end(): void {
    if (!this.skipping && this.partBytes > 0) this.emit(Buffer.concat(this.parts));
    this.reset();
  }

  private finishLine(tail: Buffer): void {
    if (this.skipping) {
      this.reset();
      return;
    }

    const total = this.partBytes + tail.length;
    if (total > this.options.maxLineBytes) {
      this.options.onOversize(total);
      this.reset();
      return;
    }

    const line = this.partBytes === 0 ? tail : Buffer.concat([...this.parts, tail], total);
    this.reset();
    this.emit(line);
  }

  private hold(part: Buffer): void {
    if (this.skipping) return;

    if (this.partBytes + part.length > this.options.maxLineBytes) {
      this.options.onOversize(this.partBytes + part.length);
      this.parts = [];
      this.partBytes = 0;
      this.skipping = true;
      return;
    }

    // Copy: the chunk's memory belongs to the socket and may be large.
    this.parts.push(Buffer.from(part));
    this.partBytes += part.length;
  }

  // A CRLF line ending is accepted; an empty line carries nothing and is passed over.
  private emit(line: Buffer): void {
    const end = line.at(-1) === CARRIAGE_RETURN ? line.length - 1 : line.length;
    if (end > 0) this.options.onLine(line.subarray(0, end));
  }

  private reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.skipping = false;
  }
}
