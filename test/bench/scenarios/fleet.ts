/**
 * Scenario 3: a fleet of bots on kissmon (a child process, so its CPU and RSS are its own):
 * lag from write to applied and to persisted, registration lag, CPU and RSS per bot.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { closeFleet, heartbeatFleet, registerFleet, registerMore } from '../load/fleet.js';
import { ServerProcess } from '../server-process.js';
import { summarize, type Summary } from '../summary.js';

const REGISTER_TIMEOUT_MS = 60_000;
const WARMUP_S = 2;
const SETTLE_MS = 1000;
const MIB = 1024 * 1024;

export interface FleetResult {
  server: 'kissmon' | 'parse';
  bots: number;
  registered: number;
  errorsByCode: Record<string, number>;
  heartbeatSeconds: number;
  heartbeatsSent: number;
  heartbeatsTimed: number;
  registerLagMs: Summary | null;
  appliedLagMs: Summary | null;
  persistedLagMs: Summary | null;
  cpuPercentOfOneCore: number;
  /** The part of it spent on the main thread (the rest: the store worker, GC helpers, libuv). */
  mainThreadCpuPercent?: number;
  idleRssMiB: number;
  fleetRssMiB: number;
  maxRssMiB: number;
  rssPerBotKiB: number;
  /** The same once a full garbage collection ran in the server, idle and with the fleet. */
  collected?: {
    idleRssMiB: number;
    fleetRssMiB: number;
    rssPerBotKiB: number;
    /** The JavaScript heap alone, of all that RSS. */
    heapPerBotKiB: number;
    /**
     * What the second half of the fleet added (RSS and heap): the cost of one more bot, without
     * what grows once whatever the fleet's size (V8's young generation grows to 32 MiB).
     */
    marginalRssPerBotKiB: number;
    marginalHeapPerBotKiB: number;
  };
}

export async function waitForBots(server: ServerProcess, bots: number): Promise<number> {
  const deadline = Date.now() + REGISTER_TIMEOUT_MS;
  let known = 0;
  while (Date.now() < deadline) {
    const stats = await server.stats();
    known = stats.bots ?? stats.lines;
    if (known >= bots) break;
    await sleep(200);
  }
  return known;
}

/** Runs the fleet on kissmon, or on the parse-only baseline to price the connections alone. */
export async function runFleet(
  kind: 'kissmon' | 'parse',
  bots: number,
  seconds: number,
): Promise<FleetResult> {
  const server = await ServerProcess.start(kind);
  await sleep(500);
  const idle = server.sampleUsage();
  const idleHeap = await server.collectGarbage();
  const idleCollected = server.sampleUsage();
  const idleMappings = process.env.BENCH_MEMORY ? server.describeMappings() : '';

  const half = Math.floor(bots / 2);
  const fleet = await registerFleet(server.socket, half);
  await waitForBots(server, half);
  const halfHeap = await server.collectGarbage();
  const halfCollected = server.sampleUsage();
  await registerMore(server.socket, fleet, bots);
  try {
    const registered = await waitForBots(server, fleet.bots.length);
    const registeredAt = (await server.stats()).registeredAt ?? {};
    const registerLags = fleet.bots
      .filter((bot) => registeredAt[bot.channel] !== undefined)
      .map((bot) => registeredAt[bot.channel]! - bot.registerSentAt);
    await server.reset();
    // BENCH_MEMORY: the heap spaces once the whole fleet has registered, before it heart-beats.
    if (process.env.BENCH_MEMORY) await server.collectGarbage();

    let maxRss = 0;
    let warm: { at: number; cpuSeconds: number; mainThreadCpuSeconds: number } | undefined;
    const started = Date.now();
    const sampler = setInterval(() => {
      const usage = server.sampleUsage();
      maxRss = Math.max(maxRss, usage.rssBytes);
      if (!warm && Date.now() - started >= WARMUP_S * 1000) {
        warm = { at: Date.now(), ...usage };
      }
    }, 250);

    await heartbeatFleet(fleet, seconds);
    const end = { at: Date.now(), ...server.sampleUsage() };
    clearInterval(sampler);
    await sleep(SETTLE_MS);
    const stats = await server.stats();
    const endHeap = await server.collectGarbage();
    const endCollected = server.sampleUsage();
    if (process.env.BENCH_MEMORY) {
      const mib = (bytes: number) => (bytes / MIB).toFixed(1);
      const memory = (m: NodeJS.MemoryUsage) => Object.values(m).map(mib).join(' / ');
      process.stderr.write(`${kind} largest mappings, idle: ${idleMappings}\n`);
      process.stderr.write(`${kind} largest mappings, fleet: ${server.describeMappings()}\n`);
      process.stderr.write(
        `${kind} rss / heapTotal / heapUsed / external / arrayBuffers (MiB): ` +
          `idle ${memory(idleHeap.memory)}, fleet ${memory(endHeap.memory)}\n`,
      );
    }

    const cpuBase = warm ?? { at: started, ...idle };
    const elapsed = (end.at - cpuBase.at) / 1000;
    const cpuShare = (end.cpuSeconds - cpuBase.cpuSeconds) / elapsed;
    const mainShare = (end.mainThreadCpuSeconds - cpuBase.mainThreadCpuSeconds) / elapsed;
    return {
      server: kind,
      bots,
      registered,
      errorsByCode: fleet.errorsByCode,
      heartbeatSeconds: seconds,
      heartbeatsSent: fleet.heartbeatsSent,
      heartbeatsTimed: stats.appliedLagMs?.count ?? 0,
      registerLagMs: summarize(registerLags),
      appliedLagMs: stats.appliedLagMs ?? null,
      persistedLagMs: stats.persistedLagMs ?? null,
      cpuPercentOfOneCore: Math.round(cpuShare * 1000) / 10,
      mainThreadCpuPercent: Math.round(mainShare * 1000) / 10,
      idleRssMiB: Math.round((idle.rssBytes / MIB) * 10) / 10,
      fleetRssMiB: Math.round((end.rssBytes / MIB) * 10) / 10,
      maxRssMiB: Math.round((Math.max(maxRss, end.rssBytes) / MIB) * 10) / 10,
      rssPerBotKiB: perBotKiB(end.rssBytes - idle.rssBytes, bots),
      collected: {
        idleRssMiB: mib(idleCollected.rssBytes),
        fleetRssMiB: mib(endCollected.rssBytes),
        rssPerBotKiB: perBotKiB(endCollected.rssBytes - idleCollected.rssBytes, bots),
        heapPerBotKiB: perBotKiB(endHeap.heapUsedBytes - idleHeap.heapUsedBytes, bots),
        marginalRssPerBotKiB: perBotKiB(
          endCollected.rssBytes - halfCollected.rssBytes,
          bots - half,
        ),
        marginalHeapPerBotKiB: perBotKiB(
          endHeap.heapUsedBytes - halfHeap.heapUsedBytes,
          bots - half,
        ),
      },
    };
  } finally {
    closeFleet(fleet);
    await server.stop();
  }
}

const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;
const perBotKiB = (bytes: number, bots: number) => Math.round((bytes / 1024 / bots) * 10) / 10;
