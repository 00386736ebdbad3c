/**
 * Lags held in a fixed-size histogram instead of an array of every sample: a server child that
 * times 600,000 heartbeats would otherwise hold megabytes of samples, and its RSS per bot would
 * be partly the harness's own. Node's HDR histogram keeps three significant figures.
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { Summary } from './summary.js';

const LOWEST_US = 1;
const HIGHEST_US = 600_000_000;

export class LagHistogram {
  private readonly histogram: RecordableHistogram = createHistogram({
    lowest: LOWEST_US,
    highest: HIGHEST_US,
    figures: 3,
  });

  /** Records one lag in milliseconds, to the microsecond. */
  record(ms: number): void {
    const us = Math.round(ms * 1000);
    this.histogram.record(Math.min(HIGHEST_US, Math.max(LOWEST_US, us)));
  }

  summary(): Summary | null {
    const { histogram } = this;
    if (histogram.count === 0) return null;
    return {
      count: histogram.count,
      p50: histogram.percentile(50) / 1000,
      p99: histogram.percentile(99) / 1000,
      max: histogram.max / 1000,
    };
  }

  reset(): void {
    this.histogram.reset();
  }
}
