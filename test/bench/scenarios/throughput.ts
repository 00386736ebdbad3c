/**
 * Runs one load against kissmon and the baselines, each on a fresh server child, in rounds
 * whose server order rotates, and reports rows persisted per second and ratios to the
 * baselines per round (same machine, same minute) and as the median over rounds.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { usagePayload } from '../load/lines.js';
import { runPipelinedWriters } from '../load/pipelined-writers.js';
import { preciseNow } from '../precise-time.js';
import { ServerProcess, type ServerKind } from '../server-process.js';
import type { ServerStats } from '../servers/server-ipc.js';
import { median, type Summary } from '../summary.js';

export interface LoadOutcome {
  /** Usage rows the server must persist. */
  expected: number;
  /** What the load generator has to say (refused connects, timeouts, …). */
  details: Record<string, unknown>;
}

/** Runs the load on `socket`; calls `start()` at the moment the clock starts. */
export type Load = (socket: string, start: () => void) => Promise<LoadOutcome>;

export interface RunMeasure {
  server: ServerKind;
  expected: number;
  rows: number;
  seconds: number | null;
  rowsPerSecond: number | null;
  complete: boolean;
  /** The server's CPU time (every thread) per row: steadier than rows/s on a busy machine. */
  cpuMicrosPerRow: number;
  invalid: number;
  flushMs: Summary | null;
  details: Record<string, unknown>;
}

export interface ThroughputResult {
  rounds: RunMeasure[][];
  medianRowsPerSecond: Partial<Record<ServerKind, number>>;
  medianCpuMicrosPerRow: Partial<Record<ServerKind, number>>;
  ratioToSqlite: number | null;
  ratioToParse: number | null;
}

export interface ThroughputOptions {
  servers: ServerKind[];
  /** Usage rows sent and persisted before the clock starts, so that the JIT is warm. */
  warmupRows: number;
  rounds: number;
  settleTimeoutMs: number;
  readLockMs?: number;
}

async function holdReadLock(db: string, maxMs: number) {
  const script = fileURLToPath(new URL('../servers/read-lock.ts', import.meta.url));
  const child = fork(script, [db, String(maxMs)], { execArgv: ['--import', 'tsx'] });
  await once(child, 'message');
  return async () => {
    const exited = once(child, 'exit');
    child.send('release');
    await exited;
  };
}

// BENCH_SERVERS=kissmon,sqlite narrows every scenario to those servers: for profiling only, as
// ratios need the baselines.
const ONLY_SERVERS = process.env.BENCH_SERVERS
  ? new Set(process.env.BENCH_SERVERS.split(','))
  : undefined;

async function warmUp(server: ServerProcess, options: ThroughputOptions): Promise<void> {
  if (options.warmupRows === 0) return;

  const { payload } = usagePayload(0, options.warmupRows);
  await runPipelinedWriters(server.socket, [payload], options.settleTimeoutMs, () => undefined);
  const awaited = await server.awaitRows(options.warmupRows, options.settleTimeoutMs);
  if (!awaited.reached) throw new Error(`${server.kind} server did not persist the warm-up rows`);
  await server.reset();
}

async function measure(kind: ServerKind, load: Load, options: ThroughputOptions) {
  const server = await ServerProcess.start(kind);
  const release =
    options.readLockMs && kind !== 'parse'
      ? await holdReadLock(server.db, options.readLockMs)
      : undefined;

  try {
    await warmUp(server, options);

    let startedAt = 0;
    const cpuBefore = server.sampleUsage().cpuSeconds;
    const outcome = await load(server.socket, () => (startedAt = preciseNow()));
    const target = options.warmupRows + outcome.expected;
    const awaited = await server.awaitRows(target, options.settleTimeoutMs);
    const cpuSeconds = server.sampleUsage().cpuSeconds - cpuBefore;
    const stats: ServerStats = await server.stats();

    const seconds = awaited.at === null ? null : (awaited.at - startedAt) / 1000;
    return {
      server: kind,
      expected: outcome.expected,
      rows: stats.rows - options.warmupRows,
      seconds,
      rowsPerSecond: seconds === null ? null : Math.round(outcome.expected / seconds),
      complete: awaited.reached,
      cpuMicrosPerRow: Math.round((cpuSeconds * 1e7) / Math.max(1, outcome.expected)) / 10,
      invalid: stats.invalid,
      flushMs: stats.flushMs,
      details: outcome.details,
    } satisfies RunMeasure;
  } finally {
    await release?.();
    await server.stop();
  }
}

// The ratio is taken within each round (same minute, same neighbours' load), then the median.
function medianRatio(rounds: RunMeasure[][], of: ServerKind, to: ServerKind): number | null {
  const ratios: number[] = [];
  for (const measures of rounds) {
    const numerator = measures.find((entry) => entry.server === of)?.rowsPerSecond;
    const denominator = measures.find((entry) => entry.server === to)?.rowsPerSecond;
    if (numerator && denominator) ratios.push(numerator / denominator);
  }
  return ratios.length === 0 ? null : Math.round(median(ratios) * 100) / 100;
}

export async function runThroughput(
  load: Load,
  options: ThroughputOptions,
): Promise<ThroughputResult> {
  const rounds: RunMeasure[][] = [];
  const servers = options.servers.filter((kind) => !ONLY_SERVERS || ONLY_SERVERS.has(kind));

  for (let round = 0; round < options.rounds; round += 1) {
    const order = servers.map((_, index) => servers[(index + round) % servers.length]!);
    const measures: RunMeasure[] = [];
    for (const kind of order) measures.push(await measure(kind, load, options));
    rounds.push(measures);
  }

  const medianRowsPerSecond: Partial<Record<ServerKind, number>> = {};
  const medianCpuMicrosPerRow: Partial<Record<ServerKind, number>> = {};
  for (const kind of servers) {
    const costs = rounds.flat().filter((entry) => entry.server === kind);
    medianCpuMicrosPerRow[kind] = median(costs.map((entry) => entry.cpuMicrosPerRow));

    const rates = rounds.flatMap((measures) =>
      measures.filter((entry) => entry.server === kind && entry.rowsPerSecond !== null),
    );
    if (rates.length > 0) medianRowsPerSecond[kind] = median(rates.map((m) => m.rowsPerSecond!));
  }

  return {
    rounds,
    medianRowsPerSecond,
    medianCpuMicrosPerRow,
    ratioToSqlite: medianRatio(rounds, 'kissmon', 'sqlite'),
    ratioToParse: medianRatio(rounds, 'kissmon', 'parse'),
  };
}
