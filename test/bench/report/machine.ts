/** The machine a run happened on, and how busy it was: the figures mean little without it. */
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  kernel: string;
  memoryGiB: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

export function describeMachine(loadAverageAtStart: number[]): MachineInfo {
  const round = (values: number[]) => values.map((value) => Math.round(value * 100) / 100);
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    kernel: release(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverageAtStart: round(loadAverageAtStart),
    loadAverageAtEnd: round(loadavg()),
  };
}
