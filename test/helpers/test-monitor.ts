import { pino } from 'pino';
import { defaultConfig, type MonitorConfig } from '../../src/config.js';
import { startService, type ServiceDeps } from '../../src/service.js';
import { makeTempDir } from './temp-dir.js';

/** A real monitor in this process, on a socket and database of its own. */
export async function startTestMonitor(
  overrides: Partial<MonitorConfig> = {},
  deps: Partial<ServiceDeps> = {},
) {
  const dir = makeTempDir();
  const config = defaultConfig({
    socket: dir.file('ingest.sock'),
    db: dir.file('monitor.db'),
    drainTimeout: 500,
    ...overrides,
  });
  const service = await startService(config, { logger: pino({ level: 'silent' }), ...deps });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await service.stop();
  };
  return { service, config, dir, stop, cleanup: async () => (await stop(), dir.cleanup()) };
}
