/**
 * Gives the probe machine its round: sample what the monitor says is live, report back.
 */
import { performance } from 'node:perf_hooks';
import { createActor, fromPromise } from 'xstate';
import type { Logger } from 'pino';
import { probeMachine } from '../../machines/probe.js';
import { actorOptions, type Clock } from '../clock.js';
import type { Monitor } from '../monitor/monitor.js';
import type { ProcessTable } from './process-table.js';
import { sampleRound } from './sample-round.js';

export interface ProbeOptions {
  monitor: Monitor;
  processes: ProcessTable;
  intervalMs: number;
  clock: Clock;
  logger: Logger;
}

export function createProbeActor(options: ProbeOptions) {
  const { monitor, processes, logger } = options;

  const round = fromPromise(async () => {
    const started = performance.now();
    const targets = monitor.probeTargets();
    const findings = await sampleRound(targets, processes);

    monitor.applyProbeRound(findings);
    const ms = performance.now() - started;
    logger.debug({ processes: targets.length, ms }, 'probe round');
    return { processes: targets.length, ms };
  });

  const machine = probeMachine.provide({
    actors: { sampleRound: round },
    actions: {
      roundFailed: (_, { error }) => logger.error({ err: error }, 'probe round failed'),
    },
  });

  return createActor(machine, {
    input: { intervalMs: options.intervalMs },
    ...actorOptions(options.clock),
  });
}
