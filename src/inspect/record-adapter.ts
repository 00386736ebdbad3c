/**
 * Writes inspection events as JSON lines to a file, for machines without a browser or internet.
 * Each line is one event in the Stately inspector's own format.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { configure } from 'safe-stable-stringify';
import { KissmonError, ServerErrorCode } from '../protocol/errors.js';

const stringify = configure({ maximumDepth: 10, circularValue: '[Circular]' });

export class RecordAdapter {
  readonly path: string;
  written = 0;
  /** Set when the file could not be written; recording stops there, the monitor goes on. */
  error: Error | undefined;
  private readonly stream: WriteStream;
  private closed = false;

  constructor(path: string) {
    this.path = path;
    this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    this.stream.on('error', (error) => (this.error ??= error));
  }

  async open(): Promise<void> {
    try {
      await once(this.stream, 'open');
    } catch (error) {
      const message = `Cannot open ${this.path} for --inspect-record: ${(error as Error).message}`;
      throw new KissmonError(ServerErrorCode.inspectRecordOpen, message, { cause: error });
    }
  }

  send(event: StatelyInspectionEvent): void {
    if (this.closed || this.error) return;
    this.stream.write(`${stringify(event)}\n`);
    this.written += 1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.error) return;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
