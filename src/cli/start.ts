/** `kissmon start`: run the monitor until SIGTERM or SIGINT, then stop without losing a line. */
import type { MonitorConfig } from '../config.js';
import { createLogger } from '../logging.js';
import { KissmonError } from '../protocol/errors.js';
import { startService, type MonitorService } from '../service.js';

export async function runStart(config: MonitorConfig): Promise<void> {
  const logger = createLogger(config.logLevel);

  let service: MonitorService;
  try {
    service = await startService(config, { logger });
  } catch (error) {
    const code = error instanceof KissmonError ? error.code : undefined;
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal({ code }, message);
    process.stderr.write(`kissmon: ${message}${code ? ` (${code})` : ''}\n`);
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'signal received');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
