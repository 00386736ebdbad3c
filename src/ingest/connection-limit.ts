/**
 * The default connection limit, sized from the process's open-file limit so that kissmon
 * refuses bots before it runs out of descriptors for its database, logs and debug socket.
 */
import { readFileSync } from 'node:fs';

const FALLBACK_OPEN_FILES = 1024;
const MIN_RESERVED = 64;

/** The soft open-file limit (`ulimit -n`), read from /proc on Linux; 1024 where unknown. */
export function readOpenFileLimit(limitsPath = '/proc/self/limits'): number {
  try {
    const limits = readFileSync(limitsPath, 'utf8');
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
    if (soft === undefined) return FALLBACK_OPEN_FILES;
    return soft === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(soft);
  } catch {
    return FALLBACK_OPEN_FILES;
  }
}

/** Keeps a tenth of the descriptors (at least 64) for everything that is not a bot. */
export function resolveDefaultMaxConnections(openFiles = readOpenFileLimit()): number {
  const reserved = Math.max(MIN_RESERVED, Math.floor(openFiles / 10));
  return Math.max(1, Math.min(openFiles - reserved, 1_000_000));
}
