/**
 * The `stats` reply: counters kissmon already keeps, read in one place. Configuration and the
 * environment are deliberately not part of it.
 */
import type { ListenerStats } from '../ingest/listener.js';
import type { MailboxStats } from '../ingest/mailbox.js';
import type { MessageType } from '../protocol/messages.js';
import type { FlushStats } from '../store/flush-stats.js';
import { percentile, sortNumbers } from './percentile.js';

export interface DebugCounters {
  clientsOpen: number;
  clientsTotal: number;
  requests: number;
  errors: Record<string, number>;
  slowClientsDisconnected: number;
}

export interface StatsSources {
  version: string;
  startedAt: number;
  now: () => number;
  listener: { stats: ListenerStats };
  monitor: { messages: Record<MessageType, number>; size: number };
  rejects: { byCode: ReadonlyMap<string, number>; total: number };
  mailbox: { stats: MailboxStats };
  persistence: { pending: { rows: number }; stats: FlushStats; backlog: () => number };
  /** The probe's own numbers, once a probe runs; null until then. */
  probe?: () => Record<string, unknown> | null;
  debug: () => DebugCounters;
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

function summarize(samples: readonly number[]) {
  const sorted = sortNumbers(samples);
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? null),
  };
}

export function collectStats(sources: StatsSources) {
  const { listener, monitor, rejects, mailbox, persistence } = sources;
  const flush = persistence.stats;

  return {
    version: sources.version,
    uptimeS: Math.round((sources.now() - sources.startedAt) / 1000),
    bots: monitor.size,
    connections: {
      open: listener.stats.open,
      total: listener.stats.accepted,
      bytes: listener.stats.bytes,
      lines: listener.stats.lines,
      errors: listener.stats.errors,
      refused: listener.stats.refused,
      idleClosed: listener.stats.idleClosed,
      acceptErrors: listener.stats.acceptErrors,
    },
    messages: { ...monitor.messages },
    rejects: { total: rejects.total, byCode: Object.fromEntries(rejects.byCode) },
    mailbox: {
      depth: mailbox.stats.depth,
      highWater: mailbox.stats.maxDepth,
      pauses: mailbox.stats.pauses,
      paused: mailbox.stats.paused,
      holds: mailbox.stats.holds,
      slices: mailbox.stats.slices,
    },
    persistence: {
      queuedRows: persistence.pending.rows,
      backlogRows: persistence.backlog(),
      flushes: flush.flushes,
      rowsWritten: flush.rowsWritten,
      failures: flush.failures,
      failing: flush.failing,
      flushMs: summarize(flush.recentMs),
      batchRows: summarize(flush.recentRows),
    },
    probe: sources.probe?.() ?? null,
    debug: sources.debug(),
  };
}

export type StatsView = ReturnType<typeof collectStats>;
