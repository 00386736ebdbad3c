/**
 * Counts rejected lines by code and logs them without flooding: the first of a window with its
 * detail, the rest as one summary line when the window closes.
 */
import type { Logger } from 'pino';
import type { RejectCode } from '../protocol/errors.js';

export interface RejectCounterOptions {
  logger: Logger;
  windowMs: number;
}

export class RejectCounter {
  readonly byCode = new Map<RejectCode, number>();
  total = 0;

  private readonly options: RejectCounterOptions;
  private windowCounts = new Map<RejectCode, number>();
  private windowTimer: NodeJS.Timeout | undefined;

  constructor(options: RejectCounterOptions) {
    this.options = options;
  }

  count(code: RejectCode, detail: string, connection: number): void {
    this.total += 1;
    this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);

    if (this.windowTimer === undefined) {
      this.options.logger.warn({ code, detail, connection }, 'line rejected');
      this.windowTimer = setTimeout(() => this.closeWindow(), this.options.windowMs).unref();
      return;
    }
    this.windowCounts.set(code, (this.windowCounts.get(code) ?? 0) + 1);
  }

  /** Logs what the current window still holds; for shutdown. */
  flush(): void {
    clearTimeout(this.windowTimer);
    this.closeWindow();
  }

  private closeWindow(): void {
    this.windowTimer = undefined;
    if (this.windowCounts.size === 0) return;

    const byCode = Object.fromEntries(this.windowCounts);
    const rejected = [...this.windowCounts.values()].reduce((sum, n) => sum + n, 0);
    this.windowCounts = new Map();
    this.options.logger.warn(
      { rejected, byCode, windowMs: this.options.windowMs },
      'more lines rejected',
    );
  }
}
