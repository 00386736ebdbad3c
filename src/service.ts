/**
 * Wires the monitor together: store worker, persistence actor, monitor, mailbox, ingest socket;
 * and takes them down again in the order that loses nothing.
 */
import { waitFor } from 'xstate';
import type { Logger } from 'pino';
import type { MonitorConfig } from './config.js';
import { systemClock, type Clock, type Inspect } from './clock.js';
import { IngestListener } from './ingest/listener.js';
import { Mailbox } from './ingest/mailbox.js';
import { RejectCounter } from './ingest/reject-counter.js';
import { Monitor } from './monitor/monitor.js';
import type { Message } from './protocol/messages.js';
import { createPersistenceActor } from './store/persistence.js';
import { Store } from './store/store.js';

export interface ServiceDeps {
  logger: Logger;
  clock?: Clock;
  inspect?: Inspect;
}

const SLICE_SIZE = 512;
const QUIET_MS = 100;
const REJECT_LOG_WINDOW_MS = 1000;
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 5000;

export type MonitorService = Awaited<ReturnType<typeof startService>>;

export async function startService(config: MonitorConfig, deps: ServiceDeps) {
  const { logger } = deps;
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();

  const store = await Store.open({ path: config.db, busyTimeoutMs: config.busyTimeout });
  logger.info({ component: 'store', db: config.db, ...store.info }, 'database ready');

  const persistence = createPersistenceActor({
    store,
    logger: logger.child({ component: 'persistence' }),
    clock,
    inspect: deps.inspect,
    flushIntervalMs: config.flushInterval,
    batchSize: config.batchSize,
    retryBaseMs: RETRY_BASE_MS,
    retryMaxMs: RETRY_MAX_MS,
  });
  persistence.actor.start();

  const monitor = new Monitor({
    clock,
    logger: logger.child({ component: 'monitor' }),
    inspect: deps.inspect,
    staleTimeoutMs: config.staleTimeout * 1000,
    staleGraceMs: config.staleGrace * 1000,
    persist: (batch) => persistence.enqueue(batch),
  });

  const mailbox: Mailbox<Message> = new Mailbox<Message>({
    highWater: config.mailboxSize,
    lowWater: Math.floor(config.mailboxSize / 2),
    sliceSize: SLICE_SIZE,
    onSlice: (messages) => monitor.handleSlice(messages),
    onPressure: (paused) => listener.setPaused(paused),
  });

  const ingestLogger = logger.child({ component: 'ingest' });
  const rejects = new RejectCounter({ logger: ingestLogger, windowMs: REJECT_LOG_WINDOW_MS });
  const listener = new IngestListener({
    socketPath: config.socket,
    backlog: config.backlog,
    maxLineBytes: config.maxLineLength,
    deliver: (message) => mailbox.push(message),
    rejects,
    logger: ingestLogger,
  });

  try {
    await listener.listen();
  } catch (error) {
    persistence.actor.stop();
    await store.close();
    throw error;
  }
  logger.info({ socket: config.socket, db: config.db }, 'monitor started');

  async function stop(): Promise<void> {
    logger.info('monitor stopping');
    await listener.close(QUIET_MS, config.drainTimeout);
    mailbox.drainAll();
    monitor.stop();

    persistence.actor.send({ type: 'stop' });
    try {
      await waitFor(persistence.actor, (snapshot) => snapshot.status === 'done', {
        timeout: Math.max(config.busyTimeout * 2, 5000),
      });
    } catch {
      logger.error({ pendingRows: persistence.pending.rows }, 'rows left unwritten at shutdown');
    }

    await store.close();
    rejects.flush();
    logger.info(
      { bots: monitor.size, rowsWritten: persistence.stats.rowsWritten, rejected: rejects.total },
      'monitor stopped',
    );
  }

  return { config, startedAt, store, persistence, monitor, mailbox, rejects, listener, stop };
}
