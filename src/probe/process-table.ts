/**
 * What /proc says about a PID: whether it runs, and since when. The start time (clock ticks
 * since boot, field 22 of /proc/<pid>/stat) tells a process from a later one that got its PID.
 */
import { readFileSync } from 'node:fs';

export interface ProcessTable {
  /** Whether kissmon can see bots' processes at all (false: another PID namespace, say). */
  readonly checks: boolean;
  /** The process's start time, or undefined when no live process has this PID. */
  startTime: (pid: number) => number | undefined;
}

// The command name in parentheses may itself hold spaces and parentheses: read after the last.
function parseStartTime(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

export const procfsTable: ProcessTable = {
  checks: true,
  startTime: (pid) => {
    try {
      return parseStartTime(readFileSync(`/proc/${pid}/stat`, 'latin1'));
    } catch {
      return undefined;
    }
  },
};

/** For a monitor that cannot see the bots' processes: every PID is taken at its word. */
export const trustingTable: ProcessTable = {
  checks: false,
  startTime: () => undefined,
};

/** Whether `pid` still runs the process that started at `startTime` (when that is known). */
export function isSameProcess(table: ProcessTable, pid: number, startTime: number | undefined) {
  if (!table.checks) return true;
  const now = table.startTime(pid);
  return now !== undefined && (startTime === undefined || now === startTime);
}

const SLICE = 100;

/**
 * The start times of many PIDs, read synchronously in slices with a turn of the event loop
 * between them. /proc answers from memory: a synchronous read costs a few microseconds where a
 * promise-based one costs a hundred (docs/BENCHMARKS.md, scenario 7), and slicing keeps any one
 * pause of the event loop short.
 */
export async function readStartTimes(
  table: ProcessTable,
  pids: readonly number[],
): Promise<(number | undefined)[]> {
  const times: (number | undefined)[] = [];
  for (let start = 0; start < pids.length; start += SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const pid of pids.slice(start, start + SLICE)) times.push(table.startTime(pid));
  }
  return times;
}
