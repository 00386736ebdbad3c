/**
 * Epoch milliseconds with sub-millisecond resolution, comparable across the processes of one
 * machine: the harness stamps a line when it writes it, a server child when it applies it.
 */
import { performance } from 'node:perf_hooks';

export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
