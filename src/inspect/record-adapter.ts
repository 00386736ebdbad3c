/**
 * Writes inspection events as JSON lines to a file, for machines without a browser or internet.
 * Each line is one event in the Stately inspector's own format.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { configure } from 'safe-stable-stringify';

const stringify = configure({ maximumDepth: 10, circularValue: '[Circular]' });

export class RecordAdapter {
  readonly path: string;
  written = 0;
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.path = path;
    this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  }

  async open(): Promise<void> {
    await once(this.stream, 'open');
  }

  send(event: StatelyInspectionEvent): void {
    this.stream.write(`${stringify(event)}\n`);
    this.written += 1;
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
