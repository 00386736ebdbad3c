/**
 * Every setting of `kissmon start`: its flag, its `KISSMON_*` variable, its default, and how it
 * is checked. Flags win over variables, variables over defaults.
 */
import { InvalidArgumentError, Option } from 'commander';
import { resolveDefaultMaxConnections } from './ingest/connection-limit.js';
import { parseSocketMode } from './ingest/socket-permissions.js';

export interface MonitorConfig {
  socket: string;
  db: string;
  staleTimeout: number;
  staleGrace: number;
  flushInterval: number;
  batchSize: number;
  maxLineLength: number;
  backlog: number;
  maxConnections: number;
  idleTimeout: number;
  socketMode: number;
  socketGroup: string | undefined;
  mailboxSize: number;
  maxPendingRows: number;
  busyTimeout: number;
  drainTimeout: number;
  probeInterval: number;
  processChecks: boolean;
  crashLoopRegisters: number;
  crashLoopWindow: number;
  retainMetricsDays: number;
  retainEventsDays: number;
  retainUsageDays: number;
  logLevel: string;
  /** Undefined means beside the ingest socket (see src/debug/paths.ts). */
  debugSocket?: string | undefined;
  inspect: boolean;
  inspectPort: number;
  inspectRecord?: string | undefined;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${raw}`);
    }
    return value;
  };
}

function decimal(min: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) {
      throw new InvalidArgumentError(`expected a number of at least ${min}, got ${raw}`);
    }
    return value;
  };
}

function octalMode(raw: string): number {
  try {
    return parseSocketMode(raw);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function option(
  flags: string,
  description: string,
  env: string,
  fallback: string | number | boolean,
) {
  return new Option(flags, description).env(env).default(fallback);
}

/** The options of `kissmon start`, in the order `--help` lists them. */
export function monitorOptions(): Option[] {
  return [
    option('--socket <path>', 'ingest socket path', 'KISSMON_SOCKET', '/tmp/kissbot_monitor.sock'),
    option('--db <path>', 'SQLite database file', 'KISSMON_DB', './kissbot_monitor.db'),
    option(
      '--stale-timeout <seconds>',
      'a bot without heartbeat this long is stale',
      'KISSMON_STALE_TIMEOUT',
      60,
    ).argParser(integer(1)),
    option(
      '--stale-grace <seconds>',
      'added to 2 x heartbeat_interval_s for bots that announce one',
      'KISSMON_STALE_GRACE',
      10,
    ).argParser(integer(0)),
    option(
      '--flush-interval <ms>',
      'longest time a row waits before it is written',
      'KISSMON_FLUSH_INTERVAL',
      50,
    ).argParser(integer(1)),
    option(
      '--batch-size <rows>',
      'rows that trigger a flush at once; one transaction takes at most 10 times this',
      'KISSMON_BATCH_SIZE',
      1000,
    ).argParser(integer(1)),
    option(
      '--max-line-length <bytes>',
      'longer lines are rejected and skipped',
      'KISSMON_MAX_LINE_LENGTH',
      65_536,
    ).argParser(integer(64)),
    option(
      '--backlog <connections>',
      'listen backlog (the kernel caps it at net.core.somaxconn)',
      'KISSMON_BACKLOG',
      4096,
    ).argParser(integer(1)),
    option(
      '--max-connections <connections>',
      'connections past this many are closed at once and counted; sized from ulimit -n',
      'KISSMON_MAX_CONNECTIONS',
      resolveDefaultMaxConnections(),
    ).argParser(integer(1)),
    option(
      '--idle-timeout <seconds>',
      'a connection silent this long is closed and counted; 0 never closes one',
      'KISSMON_IDLE_TIMEOUT',
      600,
    ).argParser(integer(0)),
    new Option('--socket-mode <octal>', 'permission bits of the ingest socket')
      .env('KISSMON_SOCKET_MODE')
      .default(0o660, '660')
      .argParser(octalMode),
    new Option('--socket-group <group>', 'group of the ingest socket (name or gid)').env(
      'KISSMON_SOCKET_GROUP',
    ),
    option(
      '--mailbox-size <messages>',
      'readers pause above this many queued messages, resume below half',
      'KISSMON_MAILBOX_SIZE',
      10_000,
    ).argParser(integer(2)),
    option(
      '--max-pending-rows <rows>',
      'rows waiting for the database past which the mailbox holds and readers pause',
      'KISSMON_MAX_PENDING_ROWS',
      100_000,
    ).argParser(integer(1)),
    option(
      '--busy-timeout <ms>',
      'how long a write waits for a lock held by another process',
      'KISSMON_BUSY_TIMEOUT',
      5000,
    ).argParser(integer(0)),
    option(
      '--drain-timeout <ms>',
      'on shutdown, longest wait for connected bots to finish sending',
      'KISSMON_DRAIN_TIMEOUT',
      2000,
    ).argParser(integer(0)),
    option(
      '--probe-interval <seconds>',
      'how often CPU, memory and liveness of every bot process are sampled, and the most ' +
        "often a bot's self-reported CPU and memory are written to bot_metrics",
      'KISSMON_PROBE_INTERVAL',
      15,
    ).argParser(decimal(0.05)),
    new Option(
      '--no-process-checks',
      'trust PIDs as sent: no sampling, no refusal of dead PIDs ' +
        '(for bots in another PID namespace)',
    ).env('KISSMON_NO_PROCESS_CHECKS'),
    option(
      '--crash-loop-registers <count>',
      'more registers than this under new PIDs within the window mark a crash loop',
      'KISSMON_CRASH_LOOP_REGISTERS',
      5,
    ).argParser(integer(1)),
    option(
      '--crash-loop-window <seconds>',
      'the crash-loop window; a bot that stays up this long is no longer crash-looping',
      'KISSMON_CRASH_LOOP_WINDOW',
      600,
    ).argParser(integer(1)),
    option(
      '--retain-metrics-days <days>',
      'bot_metrics rows older than this are pruned (0: never)',
      'KISSMON_RETAIN_METRICS_DAYS',
      7,
    ).argParser(decimal(0)),
    option(
      '--retain-events-days <days>',
      'bot_events rows older than this are pruned (0: never)',
      'KISSMON_RETAIN_EVENTS_DAYS',
      30,
    ).argParser(decimal(0)),
    option(
      '--retain-usage-days <days>',
      'llm_usage rows older than this are pruned (0: never)',
      'KISSMON_RETAIN_USAGE_DAYS',
      90,
    ).argParser(decimal(0)),
    option('--log-level <level>', 'pino log level', 'KISSMON_LOG_LEVEL', 'info').choices(
      LOG_LEVELS,
    ),
    new Option(
      '--debug-socket <path>',
      'operator socket for kissmon status/watch/… (default: beside --socket, as NAME.debug.sock)',
    ).env('KISSMON_DEBUG_SOCKET'),
    option(
      '--inspect',
      "send every actor's events to the Stately inspector, relayed on 127.0.0.1:--inspect-port; " +
        'opens no browser; cuts throughput to about 40% while on',
      'KISSMON_INSPECT',
      false,
    ),
    option(
      '--inspect-port <port>',
      'loopback port of the inspector relay (--inspect, or `inspect on` on the debug socket)',
      'KISSMON_INSPECT_PORT',
      4820,
    ).argParser(integer(1, 65_535)),
    new Option(
      '--inspect-record <file>',
      'append the same inspection events to FILE as JSON lines (works offline)',
    ).env('KISSMON_INSPECT_RECORD'),
  ];
}

/** The defaults alone, as `kissmon start` with no flag and no variable would run. */
export function defaultConfig(overrides: Partial<MonitorConfig> = {}): MonitorConfig {
  const defaults = Object.fromEntries(
    monitorOptions().map((entry) => [
      entry.attributeName(),
      entry.negate ? true : entry.defaultValue,
    ]),
  ) as unknown as MonitorConfig;
  return { ...defaults, ...overrides };
}
