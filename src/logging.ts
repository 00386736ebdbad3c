/** The process's one pino logger; components take children of it (`{ component: 'ingest' }`). */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  // No base fields: `pid` in a log line is always a bot's PID, never kissmon's own.
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
