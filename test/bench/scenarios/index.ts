/**
 * The scenarios of issue 6: 1–5 are loads run against kissmon and the baselines, 6 times the
 * client SDK's calls, 7 times a probe round over real processes, 8 soaks a fleet in real time.
 */
import { runPacedPerMessage, runPerMessageWriters } from '../load/per-message-writers.js';
import { runPipelinedWriters } from '../load/pipelined-writers.js';
import { usagePayload } from '../load/lines.js';
import type { Plan } from '../plan.js';
import type { ServerKind } from '../server-process.js';
import { runClientLatency, type ClientLatencyResult } from './client-latency.js';
import { runFleet, type FleetResult } from './fleet.js';
import { runProbeRound, type ProbeRoundResult } from './probe-round.js';
import { runSoak, type SoakResult } from './soak.js';
import { runThroughput, type Load, type ThroughputResult } from './throughput.js';

export interface ScenarioResults {
  flood: { writers: number; rows: number; result: ThroughputResult }[];
  perMessage: { concurrency: number; messages: number; result: ThroughputResult }[];
  pacedPerMessage: { bots: number; seconds: number; result: ThroughputResult } | null;
  fleet: { kissmon: FleetResult; parse: FleetResult } | null;
  badInput: { rows: number; invalidEvery: number; result: ThroughputResult } | null;
  readLock: { rows: number; result: ThroughputResult } | null;
  clientLatency: ClientLatencyResult | null;
  probeRound: ProbeRoundResult[] | null;
  /** Absent from results written before scenario 8 existed. */
  soak?: SoakResult | null;
}

function pipelinedLoad(plan: Plan, writers: number, rows: number, invalidEvery = 0): Load {
  const perWriter = Math.floor(rows / writers);
  const payloads = Array.from({ length: writers }, (_, writer) =>
    usagePayload(writer, perWriter, invalidEvery),
  );
  const expected = payloads.reduce((sum, entry) => sum + entry.valid, 0);
  const invalid = payloads.reduce((sum, entry) => sum + entry.invalid, 0);

  return async (socket, start) => {
    const sent = await runPipelinedWriters(
      socket,
      payloads.map((entry) => entry.payload),
      plan.loadDeadlineMs,
      start,
    );
    return { expected, details: { ...sent, invalidSent: invalid } };
  };
}

function perMessageLoad(plan: Plan, concurrency: number, messages: number): Load {
  return async (socket, start) => {
    start();
    const sent = await runPerMessageWriters(socket, messages, concurrency, plan.loadDeadlineMs);
    return { expected: sent.delivered, details: { ...sent } };
  };
}

export type Progress = (text: string) => void;

/** Runs the scenarios numbered in `only` (all of them when it is empty). */
/** `BENCH_FLEET=2000x20` resizes scenario 3, for working on kissmon; the record uses the plan. */
function fleetSize(plan: Plan): Plan['fleet'] {
  const match = /^(\d+)x(\d+)$/.exec(process.env.BENCH_FLEET ?? '');
  return match ? { bots: Number(match[1]), seconds: Number(match[2]) } : plan.fleet;
}

export async function runScenarios(
  plan: Plan,
  only: Set<number>,
  log: Progress,
): Promise<ScenarioResults> {
  const wanted = (scenario: number) => only.size === 0 || only.has(scenario);
  const servers: ServerKind[] = ['parse', 'sqlite', 'kissmon'];
  const { rounds, warmupRows, settleTimeoutMs } = plan;
  const options = { servers, rounds, warmupRows, settleTimeoutMs };

  const flood: ScenarioResults['flood'] = [];
  for (const writers of wanted(1) ? plan.flood.writers : []) {
    log(`1 flood: ${writers} writers, ${plan.flood.rows} rows`);
    const load = pipelinedLoad(plan, writers, plan.flood.rows);
    const result = await runThroughput(load, { ...options, servers: ['bare', ...servers] });
    flood.push({ writers, rows: plan.flood.rows, result });
  }

  const perMessage: ScenarioResults['perMessage'] = [];
  for (const { concurrency, messages } of wanted(2) ? plan.perMessage : []) {
    log(`2 connection per message: concurrency ${concurrency}, ${messages} messages`);
    const load = perMessageLoad(plan, concurrency, messages);
    perMessage.push({ concurrency, messages, result: await runThroughput(load, options) });
  }

  let pacedPerMessage: ScenarioResults['pacedPerMessage'] = null;
  if (wanted(2)) {
    const { bots, seconds } = plan.pacedPerMessage;
    log(`2 connection per message, paced: ${bots} bots, one message a second, ${seconds} s`);
    const load: Load = async (socket, start) => {
      start();
      const sent = await runPacedPerMessage(socket, bots, seconds);
      return { expected: sent.delivered, details: { ...sent } };
    };
    pacedPerMessage = { bots, seconds, result: await runThroughput(load, options) };
  }

  let fleet: ScenarioResults['fleet'] = null;
  if (wanted(3)) {
    const { bots, seconds } = fleetSize(plan);
    log(`3 fleet: ${bots} bots, ${seconds} s`);
    fleet = {
      kissmon: await runFleet('kissmon', bots, seconds),
      parse: await runFleet('parse', bots, seconds),
    };
  }

  let badInput: ScenarioResults['badInput'] = null;
  if (wanted(4)) {
    const { writers, rows, invalidEvery } = plan.badInput;
    log(`4 bad input: one line in ${invalidEvery} invalid, ${rows} lines`);
    const load = pipelinedLoad(plan, writers, rows, invalidEvery);
    badInput = { rows, invalidEvery, result: await runThroughput(load, options) };
  }

  let readLock: ScenarioResults['readLock'] = null;
  if (wanted(5)) {
    log(`5 read lock: ${plan.readLock.rows} rows while another process reads`);
    const load = pipelinedLoad(plan, plan.readLock.writers, plan.readLock.rows);
    const lockOptions = {
      ...options,
      servers: ['sqlite', 'kissmon'] satisfies ServerKind[],
      readLockMs: plan.loadDeadlineMs + plan.settleTimeoutMs,
    };
    readLock = { rows: plan.readLock.rows, result: await runThroughput(load, lockOptions) };
  }

  let clientLatency: ScenarioResults['clientLatency'] = null;
  if (wanted(6)) {
    const { calls, perMessageCalls } = plan.clientLatency;
    log(`6 client call latency: ${calls} calls a case, ${perMessageCalls} per message`);
    clientLatency = await runClientLatency(plan);
  }

  let probeRound: ScenarioResults['probeRound'] = null;
  if (wanted(7)) {
    log(`7 probe round over ${plan.probeRound.processes.join(', ')} real processes`);
    probeRound = await runProbeRound(plan);
  }

  let soak: ScenarioResults['soak'] = null;
  if (wanted(8)) {
    const { bots, seconds, sampleSeconds } = plan.soak;
    log(`8 soak: ${bots} bots in real time for ${seconds} s, sampled every ${sampleSeconds} s`);
    soak = await runSoak(plan);
  }

  return {
    flood,
    perMessage,
    pacedPerMessage,
    fleet,
    badInput,
    readLock,
    clientLatency,
    probeRound,
    soak,
  };
}
