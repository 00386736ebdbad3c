/**
 * One probe round: check every target's identity in /proc, then sample all that still run in a
 * single pidusage call. The cost per bot stays flat: one stat read and one share of one call.
 */
import pidusage from 'pidusage';
import type { ProbeFinding, ProbeTarget } from '../monitor/monitor.js';
import { readStartTimes, type ProcessTable } from './process-table.js';

const MIB = 1024 * 1024;

type Usage = Record<number, { cpu: number; memory: number } | undefined | null>;

async function sampleUsage(pids: number[]): Promise<Usage> {
  if (pids.length === 0) return {};
  // With one PID pidusage rejects when it is gone; with several it leaves that entry empty.
  if (pids.length === 1) {
    const stats = await pidusage(pids[0]!).catch(() => undefined);
    return { [pids[0]!]: stats };
  }
  return (await pidusage(pids)) as Usage;
}

function describeGone(target: ProbeTarget, current: number | undefined): string {
  if (current === undefined) return `process ${target.pid} is gone`;
  return `pid ${target.pid} now runs another process (start time changed)`;
}

export async function sampleRound(
  targets: readonly ProbeTarget[],
  processes: ProcessTable,
): Promise<ProbeFinding[]> {
  const startTimes = await readStartTimes(
    processes,
    targets.map((target) => target.pid),
  );
  const findings: ProbeFinding[] = [];
  const running: ProbeTarget[] = [];

  targets.forEach((target, i) => {
    const current = startTimes[i];
    const same = current !== undefined && (target.startTime ?? current) === current;
    if (same) running.push(target);
    else findings.push({ target, kind: 'gone', reason: describeGone(target, current) });
  });

  const usage = await sampleUsage([...new Set(running.map((target) => target.pid))]);
  for (const target of running) {
    const stats = usage[target.pid];
    if (!stats) continue;
    findings.push({ target, kind: 'sample', rssMb: stats.memory / MIB, cpuPct: stats.cpu });
  }
  return findings;
}
