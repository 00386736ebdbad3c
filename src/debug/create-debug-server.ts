/** Builds the debug socket from the parts of a running service. */
import type { Logger } from 'pino';
import { readPackageVersion } from '../cli/version.js';
import type { Clock } from '../clock.js';
import type { MonitorConfig } from '../config.js';
import type { InspectionControl } from '../inspect/inspection-control.js';
import { resolveDebugSocketPath } from './paths.js';
import { DebugServer } from './server.js';
import { collectStats, type StatsSources } from './stats.js';
import { TransitionReader } from './transitions.js';

const WATCH_STATS_INTERVAL_MS = 5000;
const MAX_CLIENT_BUFFER = 8 * 1024 * 1024;

export interface DebugServerParts extends Omit<StatsSources, 'version' | 'now' | 'debug'> {
  config: MonitorConfig;
  logger: Logger;
  clock: Clock;
  monitor: StatsSources['monitor'] & ConstructorParameters<typeof DebugServer>[0]['monitor'];
  inspection: InspectionControl;
}

export function createDebugServer(parts: DebugServerParts): DebugServer {
  const { config, clock } = parts;
  const version = readPackageVersion();
  const transitions = new TransitionReader(config.db);

  const server: DebugServer = new DebugServer({
    socketPath: resolveDebugSocketPath(config.socket, config.debugSocket),
    monitor: parts.monitor,
    transitions,
    inspection: parts.inspection,
    logger: parts.logger,
    watchStatsIntervalMs: WATCH_STATS_INTERVAL_MS,
    maxClientBuffer: MAX_CLIENT_BUFFER,
    collectStats: () =>
      collectStats({ ...parts, version, now: clock.now, debug: () => server.counters }),
  });
  return server;
}
