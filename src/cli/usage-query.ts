/**
 * LLM usage read straight from the database, read-only: it works whether or not a monitor is
 * running, and never takes a write lock. Timestamps are compared as text in the format kissmon
 * and the KissBot monitor both write, so old and new rows count alike.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { percentile, sortNumbers } from '../debug/percentile.js';
import { CliErrorCode, KissmonError } from '../protocol/errors.js';
import { formatTimestamp } from '../store/rows.js';

export const USAGE_GROUPS = ['channel', 'model', 'feature'] as const;

export type UsageGroup = (typeof USAGE_GROUPS)[number];

export interface UsageLine {
  key: string;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Sum of `estimated_cost` over the calls that had one; null when none had. */
  cost: number | null;
  costedCalls: number;
}

export interface UsageQuery {
  db: string;
  sinceMs: number;
  by: UsageGroup;
  now: number;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `24h`, `7d` in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) {
    const example = '90s, 30m, 24h or 7d';
    const message = `--since takes a duration like ${example}, not ${JSON.stringify(text)}.`;
    throw new KissmonError(CliErrorCode.invalidDuration, message);
  }
  return Number(match[1]) * UNITS[match[2]!]!;
}

function hasColumn(db: Database.Database, table: string, column: string): boolean {
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  return columns.some((entry) => entry.name === column);
}

export function queryUsage(query: UsageQuery): UsageLine[] {
  if (!existsSync(query.db)) {
    const message = `No database at ${query.db}; pass the --db the monitor writes to.`;
    throw new KissmonError(CliErrorCode.databaseNotFound, message);
  }

  const db = new Database(query.db, { readonly: true, fileMustExist: true });
  try {
    if (!hasColumn(db, 'llm_usage', 'ts')) return [];
    const cost = hasColumn(db, 'llm_usage', 'estimated_cost') ? 'estimated_cost' : 'NULL';
    const since = formatTimestamp(query.now - query.sinceMs);
    const group = query.by;

    const totals = db
      .prepare(
        `SELECT ${group} AS key, COUNT(*) AS calls, SUM(tokens_in) AS tokensIn,
           SUM(tokens_out) AS tokensOut, SUM(${cost}) AS cost, COUNT(${cost}) AS costedCalls
         FROM llm_usage WHERE ts >= ? GROUP BY ${group} ORDER BY calls DESC, key`,
      )
      .all(since) as Omit<UsageLine, 'latencyP50Ms' | 'latencyP95Ms'>[];
    const latencies = db
      .prepare(
        `SELECT ${group} AS key, latency_ms AS ms FROM llm_usage
         WHERE ts >= ? AND latency_ms IS NOT NULL`,
      )
      .all(since) as { key: string; ms: number }[];

    const byKey = new Map<string, number[]>();
    for (const { key, ms } of latencies) byKey.set(key, [...(byKey.get(key) ?? []), ms]);

    return totals.map((line) => {
      const sorted = sortNumbers(byKey.get(line.key) ?? []);
      return {
        ...line,
        latencyP50Ms: percentile(sorted, 0.5),
        latencyP95Ms: percentile(sorted, 0.95),
      };
    });
  } finally {
    db.close();
  }
}
