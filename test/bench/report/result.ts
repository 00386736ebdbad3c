/** The machine-readable result of one run, as written to bench-results/latest.json. */
import type { ScenarioResults } from '../scenarios/index.js';
import type { MachineInfo } from './machine.js';

export interface BenchResult {
  version: 1;
  date: string;
  mode: 'full' | 'quick';
  rounds: number;
  durationSeconds: number;
  machine: MachineInfo;
  scenarios: ScenarioResults;
}
