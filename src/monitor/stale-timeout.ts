/** How long a bot may stay silent before it is stale. */

export interface StaleTimeoutOptions {
  staleTimeoutMs: number;
  staleGraceMs: number;
}

/**
 * A bot that announces its heartbeat interval gets two intervals plus a grace, so one lost
 * heartbeat is forgiven and a slow bot is not held to a fast bot's timeout; any other bot gets
 * the monitor's stale timeout.
 */
export function resolveStaleAfterMs(
  heartbeatIntervalS: number | undefined,
  options: StaleTimeoutOptions,
): number {
  if (heartbeatIntervalS === undefined) return options.staleTimeoutMs;
  return Math.round(2 * heartbeatIntervalS * 1000 + options.staleGraceMs);
}
