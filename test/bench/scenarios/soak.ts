/**
 * Scenario 8: a real-time soak. A fleet of bots on kissmon (a child process), each registered on
 * a persistent connection of its own and heart-beating once a second, with a usage row after
 * every few heartbeats, sampled at a fixed interval: RSS and CPU from /proc, mailbox depth, the
 * interval's write → applied lag and the rows persisted so far. The first and last windows of
 * the run are compared to tell whether the curve stayed flat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { closeFleet, heartbeatFleet, registerFleet } from '../load/fleet.js';
import type { Plan } from '../plan.js';
import { ServerProcess } from '../server-process.js';
import { median } from '../summary.js';
import { waitForBots } from './fleet.js';

const MIB = 1024 * 1024;
const SETTLE_MS = 1000;
const MAX_CURVE_ROWS = 20;
const CURVE_STEP_S = 60;

/** Flat: the last window's RSS within `rss` times the first's, its p99 lag within `lagP99`. */
export const FLAT_FACTORS = { rss: 1.25, lagP99: 2 };
/** A last-window p99 lag under this counts as flat whatever the first's (scenario 3's target). */
export const FLAT_LAG_FLOOR_MS = 5;

export interface SoakSample {
  /** Seconds since the heartbeats began, at the end of the interval. */
  atSeconds: number;
  rssMiB: number;
  cpuPercentOfOneCore: number;
  /** Messages in kissmon's mailbox at the sample, and the most at any moment of the interval. */
  mailboxDepth: number;
  mailboxMaxDepth: number;
  appliedP50Ms: number | null;
  appliedP99Ms: number | null;
  heartbeatsTimed: number;
  rowsPersisted: number;
  usageSent: number;
}

export interface SoakWindow {
  fromSeconds: number;
  toSeconds: number;
  /** Mean RSS of the window's samples. */
  rssMiB: number;
  /** The worst of the window's interval p99s. */
  appliedP99Ms: number | null;
  mailboxMaxDepth: number;
}

export interface SoakResult {
  bots: number;
  registered: number;
  seconds: number;
  sampleSeconds: number;
  windowSeconds: number;
  errorsByCode: Record<string, number>;
  heartbeatsSent: number;
  usageSent: number;
  /** Usage rows persisted once the load stopped and kissmon had a second to flush. */
  rowsPersisted: number;
  idleRssMiB: number;
  samples: SoakSample[];
  /** The samples as reported: each one, or one row a minute when there are too many. */
  curve: SoakSample[];
  first: SoakWindow | null;
  last: SoakWindow | null;
  flat: boolean | null;
  /**
   * The JS heap and RSS right after a full GC in kissmon, at the end of the first window and at
   * the end: what the heap keeps, without the garbage a collection has not reached yet.
   */
  collected?: { atSeconds: number; heapMiB: number; rssMiB: number }[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

async function sampleSoak(
  server: ServerProcess,
  fleet: { usageSent: number },
  soak: Plan['soak'],
  started: number,
  collected: NonNullable<SoakResult['collected']>,
): Promise<SoakSample[]> {
  const samples: SoakSample[] = [];
  const collectAt = new Set([soak.windowSeconds, soak.seconds]);
  let previous = { at: started, cpuSeconds: server.sampleUsage().cpuSeconds };

  for (let index = 1; index * soak.sampleSeconds <= soak.seconds; index += 1) {
    await sleep(Math.max(0, started + index * soak.sampleSeconds * 1000 - Date.now()));
    const usage = server.sampleUsage();
    const at = Date.now();

    // Sent together, so that the child answers both in one turn and no lag falls between them.
    const [stats] = await Promise.all([server.stats(), server.reset()]);
    samples.push({
      atSeconds: Math.round((at - started) / 100) / 10,
      rssMiB: round1(usage.rssBytes / MIB),
      cpuPercentOfOneCore: round1(
        ((usage.cpuSeconds - previous.cpuSeconds) / ((at - previous.at) / 1000)) * 100,
      ),
      mailboxDepth: stats.mailboxDepth ?? 0,
      mailboxMaxDepth: stats.mailboxMaxDepth ?? 0,
      appliedP50Ms: stats.appliedLagMs?.p50 ?? null,
      appliedP99Ms: stats.appliedLagMs?.p99 ?? null,
      heartbeatsTimed: stats.appliedLagMs?.count ?? 0,
      rowsPersisted: stats.rows,
      usageSent: fleet.usageSent,
    });
    previous = { at, cpuSeconds: usage.cpuSeconds };

    if (collectAt.has(index * soak.sampleSeconds)) {
      const { heapUsedBytes } = await server.collectGarbage();
      const { rssBytes } = server.sampleUsage();
      const atSeconds = Math.round((Date.now() - started) / 100) / 10;
      collected.push({
        atSeconds,
        heapMiB: round1(heapUsedBytes / MIB),
        rssMiB: round1(rssBytes / MIB),
      });
      previous = { at: Date.now(), cpuSeconds: server.sampleUsage().cpuSeconds };
    }
  }
  return samples;
}

const worst = (values: (number | null)[]) => {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : Math.max(...known);
};

function windowOf(samples: SoakSample[]): SoakWindow | null {
  if (samples.length === 0) return null;
  return {
    fromSeconds: samples[0]!.atSeconds,
    toSeconds: samples[samples.length - 1]!.atSeconds,
    rssMiB: round1(samples.reduce((sum, sample) => sum + sample.rssMiB, 0) / samples.length),
    appliedP99Ms: worst(samples.map((sample) => sample.appliedP99Ms)),
    mailboxMaxDepth: Math.max(...samples.map((sample) => sample.mailboxMaxDepth)),
  };
}

// A minute's row: its last RSS, mailbox depth and row count, its mean CPU, the median of its
// interval p50s and the worst of its interval p99s (percentiles of intervals do not combine).
function mergeSamples(samples: SoakSample[]): SoakSample {
  const last = samples[samples.length - 1]!;
  const p50s = samples.flatMap((sample) =>
    sample.appliedP50Ms === null ? [] : [sample.appliedP50Ms],
  );
  return {
    ...last,
    cpuPercentOfOneCore: round1(
      samples.reduce((sum, sample) => sum + sample.cpuPercentOfOneCore, 0) / samples.length,
    ),
    mailboxMaxDepth: Math.max(...samples.map((sample) => sample.mailboxMaxDepth)),
    appliedP50Ms: p50s.length === 0 ? null : median(p50s),
    appliedP99Ms: worst(samples.map((sample) => sample.appliedP99Ms)),
    heartbeatsTimed: samples.reduce((sum, sample) => sum + sample.heartbeatsTimed, 0),
  };
}

function curveOf(samples: SoakSample[]): SoakSample[] {
  if (samples.length <= MAX_CURVE_ROWS) return samples;

  const minutes = new Map<number, SoakSample[]>();
  for (const sample of samples) {
    const minute = Math.ceil(sample.atSeconds / CURVE_STEP_S - 1e-6);
    minutes.set(minute, [...(minutes.get(minute) ?? []), sample]);
  }
  return [...minutes.values()].map(mergeSamples);
}

function isFlat(first: SoakWindow | null, last: SoakWindow | null): boolean | null {
  if (!first || !last || first.appliedP99Ms === null || last.appliedP99Ms === null) return null;

  const rssFlat = last.rssMiB <= first.rssMiB * FLAT_FACTORS.rss;
  const lagFlat =
    last.appliedP99Ms <= first.appliedP99Ms * FLAT_FACTORS.lagP99 ||
    last.appliedP99Ms < FLAT_LAG_FLOOR_MS;
  return rssFlat && lagFlat;
}

/** Registers the soak's fleet on a fresh kissmon, heart-beats it in real time and samples it. */
export async function runSoak(plan: Plan): Promise<SoakResult> {
  const { soak } = plan;
  const server = await ServerProcess.start('kissmon');
  await sleep(500);
  const idle = server.sampleUsage();

  const fleet = await registerFleet(server.socket, soak.bots);
  try {
    const registered = await waitForBots(server, fleet.bots.length);
    await server.reset();

    const started = Date.now();
    const collected: NonNullable<SoakResult['collected']> = [];
    const [, samples] = await Promise.all([
      heartbeatFleet(fleet, soak.seconds, soak.usageEvery),
      sampleSoak(server, fleet, soak, started, collected),
    ]);
    await sleep(SETTLE_MS);
    const stats = await server.stats();

    const perWindow = Math.max(1, Math.round(soak.windowSeconds / soak.sampleSeconds));
    const first = windowOf(samples.slice(0, perWindow));
    const last = windowOf(samples.slice(-perWindow));
    return {
      bots: soak.bots,
      registered,
      seconds: soak.seconds,
      sampleSeconds: soak.sampleSeconds,
      windowSeconds: soak.windowSeconds,
      errorsByCode: fleet.errorsByCode,
      heartbeatsSent: fleet.heartbeatsSent,
      usageSent: fleet.usageSent,
      rowsPersisted: stats.rows,
      idleRssMiB: round1(idle.rssBytes / MIB),
      samples,
      curve: curveOf(samples),
      first,
      last,
      flat: isFlat(first, last),
      collected,
    };
  } finally {
    closeFleet(fleet);
    await server.stop();
  }
}
