import { pino, type Logger } from 'pino';

export interface CapturedLogger {
  logger: Logger;
  entries: Record<string, unknown>[];
  /** The entries with this message. */
  find: (msg: string) => Record<string, unknown>[];
}

/** A real pino logger whose JSON lines are kept in memory for the test to read. */
export function captureLogs(level = 'debug'): CapturedLogger {
  const entries: Record<string, unknown>[] = [];
  const logger = pino(
    { level },
    { write: (line: string) => entries.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, entries, find: (msg) => entries.filter((entry) => entry.msg === msg) };
}
