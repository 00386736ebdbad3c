/** What the persistence actor has done so far, for the debug socket and the benchmarks. */
import type { WriteResult } from './store.js';

const RECENT = 256;

export class FlushStats {
  flushes = 0;
  rowsWritten = 0;
  failures = 0;
  failing = false;
  /** Duration and rows of the last flushes, oldest first, at most 256 of each. */
  readonly recentMs: number[] = [];
  readonly recentRows: number[] = [];

  recordFlush(result: WriteResult): void {
    this.flushes += 1;
    this.rowsWritten += result.rows;
    this.failing = false;
    keepRecent(this.recentMs, result.ms);
    keepRecent(this.recentRows, result.rows);
  }

  recordFailure(): void {
    this.failures += 1;
    this.failing = true;
  }
}

function keepRecent(samples: number[], value: number): void {
  samples.push(value);
  if (samples.length > RECENT) samples.shift();
}
