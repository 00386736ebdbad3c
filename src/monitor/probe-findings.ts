/** What the monitor and the probe tell each other about processes. */

/** A process the probe should look at: a live bot's, or a duplicate's. */
export interface ProbeTarget {
  channel: string;
  pid: number;
  startTime: number | undefined;
  role: 'bot' | 'duplicate';
}

/** What the probe found for one target: a sample, or that the process is gone. */
export type ProbeFinding =
  | { target: ProbeTarget; kind: 'sample'; rssMb: number; cpuPct: number }
  | { target: ProbeTarget; kind: 'gone'; reason: string };
