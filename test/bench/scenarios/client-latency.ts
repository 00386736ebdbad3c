/**
 * Scenario 6: how long a bot waits on `MonitorClient`. `logLlmUsage` and `heartbeat` are timed
 * from the call to its return and to its promise's resolution, with the monitor up (a kissmon
 * child), stalled (a server in this process that accepts and never reads) and absent (no socket
 * at the path). The bot yields to the event loop every few calls, as a bot doing other work does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  MonitorClient,
  type ClientMode,
  type MonitorClientStats,
} from '../../../src/client/index.js';
import { startStalledServer } from '../../client/fixtures/servers.js';
import type { Plan } from '../plan.js';
import { ServerProcess } from '../server-process.js';
import { summarize, type Summary } from '../summary.js';

export type MonitorCase = 'up' | 'stalled' | 'absent';

export interface CallTimes {
  calls: number;
  resolvedTrue: number;
  returnsMicros: Summary | null;
  resolvesMicros: Summary | null;
}

export interface ClientCaseResult {
  mode: ClientMode;
  monitor: MonitorCase;
  seconds: number;
  logLlmUsage: CallTimes;
  heartbeat: CallTimes;
  /** The client's counters right after the timed calls, before `close()`. */
  stats: MonitorClientStats;
  /** Usage rows kissmon persisted from this client (monitor up only). */
  rowsPersisted: number | null;
  /** Garbage collections in this process during the timed calls: they explain the maxima. */
  gc: { count: number; totalMs: number; maxMs: number };
}

export interface ClientLatencyResult {
  yieldEvery: number;
  cases: ClientCaseResult[];
}

const WARMUP_CALLS = 2_000;
const CLOSE_DEADLINE_MS = 500;
const SETTLE_TIMEOUT_MS = 5_000;

const USAGE = { model: 'gpt-4o-mini', feature: 'chat', tokensIn: 812, tokensOut: 64 };

interface Recorder {
  returns: number[];
  resolves: number[];
  resolvedTrue: number;
}

const newRecorder = (): Recorder => ({ returns: [], resolves: [], resolvedTrue: 0 });

function describeTimes(recorder: Recorder): CallTimes {
  return {
    calls: recorder.returns.length,
    resolvedTrue: recorder.resolvedTrue,
    returnsMicros: summarize(recorder.returns),
    resolvesMicros: summarize(recorder.resolves),
  };
}

/** Alternates `logLlmUsage` and `heartbeat`, each awaited, for `calls` calls or `deadlineMs`. */
async function timeCalls(client: MonitorClient, calls: number, yieldEvery: number, ms: number) {
  const usage = newRecorder();
  const heartbeat = newRecorder();
  const deadline = performance.now() + ms;

  for (let i = 0; i < calls && performance.now() < deadline; i += 1) {
    if (i > 0 && i % yieldEvery === 0) await new Promise(setImmediate);

    const isHeartbeat = i % 2 === 1;
    const recorder = isHeartbeat ? heartbeat : usage;
    const start = performance.now();
    const pending = isHeartbeat ? client.heartbeat({ status: 'bench' }) : client.logLlmUsage(USAGE);
    const returned = performance.now();
    const ok = await pending;
    const resolved = performance.now();

    recorder.returns.push((returned - start) * 1000);
    recorder.resolves.push((resolved - start) * 1000);
    if (ok) recorder.resolvedTrue += 1;
  }
  return { usage, heartbeat };
}

async function waitForSettledRows(server: ServerProcess): Promise<number> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let rows = (await server.stats()).rows;
  while (Date.now() < deadline) {
    await sleep(250);
    const now = (await server.stats()).rows;
    if (now === rows) break;
    rows = now;
  }
  return rows;
}

interface CaseSetup {
  mode: ClientMode;
  monitor: MonitorCase;
  socketPath: string;
  calls: number;
  server?: ServerProcess;
}

async function runCase(setup: CaseSetup, plan: Plan): Promise<ClientCaseResult> {
  const { mode, monitor, socketPath, calls, server } = setup;
  const rowsBefore = server ? (await server.stats()).rows : 0;
  const client = new MonitorClient(
    `bench_client_${monitor}_${mode.replace('-', '_')}`,
    process.pid,
    {
      socketPath,
      mode,
    },
  );
  await client.register({ llm: true });

  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const started = performance.now();
  const { yieldEvery, deadlineMs } = plan.clientLatency;
  const times = await timeCalls(client, calls, yieldEvery, deadlineMs);
  const seconds = (performance.now() - started) / 1000;
  await new Promise(setImmediate);
  observer.disconnect();
  const stats = client.stats;
  await client.close(CLOSE_DEADLINE_MS);

  return {
    mode,
    monitor,
    seconds: Math.round(seconds * 100) / 100,
    logLlmUsage: describeTimes(times.usage),
    heartbeat: describeTimes(times.heartbeat),
    stats,
    rowsPersisted: server ? (await waitForSettledRows(server)) - rowsBefore : null,
    gc: {
      count: pauses.length,
      totalMs: Math.round(pauses.reduce((sum, ms) => sum + ms, 0) * 100) / 100,
      maxMs: Math.round(Math.max(0, ...pauses) * 100) / 100,
    },
  };
}

/** Runs every case: persistent mode against up, stalled and absent, per-message up and absent. */
export async function runClientLatency(plan: Plan): Promise<ClientLatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kissbench-client-'));
  const absentPath = join(dir, 'absent.sock');
  const stalled = await startStalledServer(join(dir, 'stalled.sock'));
  const server = await ServerProcess.start('kissmon');

  try {
    // The client's code paths get compiled here, so the timed calls measure it warm.
    const warmup = new MonitorClient('bench_client_warmup', process.pid, {
      socketPath: absentPath,
    });
    await timeCalls(warmup, WARMUP_CALLS, plan.clientLatency.yieldEvery, 5_000);
    await warmup.close(0);

    const { calls, perMessageCalls } = plan.clientLatency;
    const cases: CaseSetup[] = [
      { mode: 'persistent', monitor: 'up', socketPath: server.socket, calls, server },
      { mode: 'persistent', monitor: 'stalled', socketPath: join(dir, 'stalled.sock'), calls },
      { mode: 'persistent', monitor: 'absent', socketPath: absentPath, calls },
      {
        mode: 'per-message',
        monitor: 'up',
        socketPath: server.socket,
        calls: perMessageCalls,
        server,
      },
      { mode: 'per-message', monitor: 'absent', socketPath: absentPath, calls: perMessageCalls },
    ];
    const results: ClientCaseResult[] = [];
    for (const setup of cases) results.push(await runCase(setup, plan));
    return { yieldEvery: plan.clientLatency.yieldEvery, cases: results };
  } finally {
    await server.stop();
    await stalled.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
