/**
 * How long a persistent client waits before its next connect: capped exponential backoff with
 * jitter, so a fleet of bots does not reconnect to a restarted monitor in one instant.
 */

export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  random?: () => number;
}

/** The delay before connect attempt number `attempt` (0 for the first retry). */
export function resolveBackoffMs(attempt: number, options: BackoffOptions): number {
  const { minMs, maxMs, random = Math.random } = options;
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return minMs + Math.floor(random() * Math.max(0, ceiling - minMs));
}
