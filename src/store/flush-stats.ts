/** What the persistence actor has done so far, for the debug socket and the benchmarks. */
import type { WriteResult } from './store.js';

export class FlushStats {
  flushes = 0;
  rowsWritten = 0;
  failures = 0;
  lastFlushMs = 0;
  failing = false;

  recordFlush(result: WriteResult): void {
    this.flushes += 1;
    this.rowsWritten += result.rows;
    this.lastFlushMs = result.ms;
    this.failing = false;
  }

  recordFailure(): void {
    this.failures += 1;
    this.failing = true;
  }
}
