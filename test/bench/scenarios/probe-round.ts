/**
 * Scenario 7: one probe round (`sampleRound`, what the probe actor runs every interval) over N
 * real idle processes, timed over several rounds, to show that its cost per process stays flat
 * as N grows. The targets are built as `Monitor.probeTargets()` builds them for live bots.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pidusage from 'pidusage';
import type { ProbeTarget } from '../../../src/monitor/monitor.js';
import { procfsTable, readStartTimes } from '../../../src/probe/process-table.js';
import { sampleRound } from '../../../src/probe/sample-round.js';
import type { Plan } from '../plan.js';
import { median, summarize, type Summary } from '../summary.js';

export interface ProbeRoundResult {
  processes: number;
  spawned: number;
  spawnSeconds: number;
  /** The first round over these processes: pidusage opens each one's stat file. */
  firstRoundMs: number;
  /** The rounds after it, as the probe runs them every interval (pidusage keeps the files open). */
  roundMs: Summary | null;
  microsPerProcess: number;
  firstRoundMicrosPerProcess: number;
  /** What the last round found: a sample for every process, none gone. */
  samples: number;
  gone: number;
  /** The round's two steps timed alone (median of rounds): identity check, one pidusage call. */
  identityMs: number;
  pidusageMs: number;
}

// The sleeps outlive a harness that dies mid-run by ten minutes at most.
const IDLE_SECONDS = '600';
const SPAWN_TIMEOUT_MS = 60_000;
const KILL_TIMEOUT_MS = 10_000;
const SPAWN_BATCH = 50;
const WARMUP_ROUNDS = 20;

interface Idle {
  child: ChildProcess;
  exited: Promise<unknown>;
}

async function spawnIdle(count: number): Promise<Idle[]> {
  const idle: Idle[] = [];
  const deadline = Date.now() + SPAWN_TIMEOUT_MS;
  while (idle.length < count && Date.now() < deadline) {
    const child = spawn('sleep', [IDLE_SECONDS], { stdio: 'ignore' });
    idle.push({ child, exited: once(child, 'exit').catch(() => undefined) });
    if (idle.length % SPAWN_BATCH === 0) await new Promise(setImmediate);
  }
  return idle;
}

async function killAll(idle: Idle[]): Promise<void> {
  for (const { child } of idle) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  const timeout = sleep(KILL_TIMEOUT_MS);
  await Promise.race([Promise.all(idle.map((entry) => entry.exited)), timeout]);
}

function buildTargets(idle: Idle[]): ProbeTarget[] {
  return idle
    .filter(({ child }) => child.pid !== undefined)
    .map(({ child }, i) => ({
      channel: `bench_probe_${i}`,
      pid: child.pid!,
      startTime: procfsTable.startTime(child.pid!),
      role: 'bot' as const,
    }));
}

async function timeRound(targets: ProbeTarget[]) {
  const start = performance.now();
  const findings = await sampleRound(targets, procfsTable);
  const ms = performance.now() - start;
  const samples = findings.filter((finding) => finding.kind === 'sample').length;
  return { ms, samples, gone: findings.length - samples };
}

async function timeSteps(targets: ProbeTarget[], rounds: number) {
  const identity: number[] = [];
  const usage: number[] = [];
  const pids = targets.map((target) => target.pid);
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    await readStartTimes(
      procfsTable,
      targets.map((target) => target.pid),
    );
    const checked = performance.now();
    await pidusage(pids);
    identity.push(checked - start);
    usage.push(performance.now() - checked);
  }
  const round2 = (ms: number) => Math.round(ms * 100) / 100;
  return { identityMs: round2(median(identity)), pidusageMs: round2(median(usage)) };
}

async function measure(count: number, rounds: number): Promise<ProbeRoundResult> {
  const spawnStart = performance.now();
  const idle = await spawnIdle(count);
  const spawnSeconds = (performance.now() - spawnStart) / 1000;

  try {
    const targets = buildTargets(idle);
    const first = await timeRound(targets);
    let last = first;
    const times: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      last = await timeRound(targets);
      times.push(last.ms);
    }

    const steps = await timeSteps(targets, rounds);
    const roundMs = summarize(times);
    const perProcess = (ms: number) => Math.round((ms * 1000 * 10) / targets.length) / 10;
    return {
      processes: count,
      spawned: targets.length,
      spawnSeconds: Math.round(spawnSeconds * 100) / 100,
      firstRoundMs: Math.round(first.ms * 100) / 100,
      roundMs,
      microsPerProcess: roundMs ? perProcess(roundMs.p50) : 0,
      firstRoundMicrosPerProcess: perProcess(first.ms),
      samples: last.samples,
      gone: last.gone,
      ...steps,
    };
  } finally {
    await killAll(idle);
    pidusage.clear();
  }
}

/** Measures a round over each process count of the plan, one count after another. */
export async function runProbeRound(plan: Plan): Promise<ProbeRoundResult[]> {
  // Compiles the probe's code on two processes that run anyway, so the first count is not charged
  // for it.
  const warm: ProbeTarget[] = [process.pid, process.ppid].map((pid) => ({
    channel: `bench_probe_${pid}`,
    pid,
    startTime: undefined,
    role: 'bot',
  }));
  for (let round = 0; round < WARMUP_ROUNDS; round += 1) await sampleRound(warm, procfsTable);
  pidusage.clear();

  const results: ProbeRoundResult[] = [];
  for (const count of plan.probeRound.processes) {
    results.push(await measure(count, plan.probeRound.rounds));
  }
  return results;
}
