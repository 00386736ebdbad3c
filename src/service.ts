/**
 * Wires the monitor together: store worker, persistence actor, monitor, mailbox, ingest socket;
 * and takes them down again in the order that loses nothing.
 */
import { waitFor } from 'xstate';
import type { Logger } from 'pino';
import type { MonitorConfig } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { createDebugServer } from './debug/create-debug-server.js';
import { InspectionControl } from './inspect/inspection-control.js';
import { InspectionSwitch } from './inspect/inspection-switch.js';
import { IngestListener } from './ingest/listener.js';
import { Mailbox } from './ingest/mailbox.js';
import { RejectCounter } from './ingest/reject-counter.js';
import { Monitor } from './monitor/monitor.js';
import type { Message } from './protocol/messages.js';
import { createPersistenceActor } from './store/persistence.js';
import { Store } from './store/store.js';
import { readRestorableBots } from './store/restore.js';
import { startRetention } from './store/retention.js';
import { createProbeActor } from './probe/probe.js';
import { procfsTable, trustingTable } from './probe/process-table.js';

export interface ServiceDeps {
  logger: Logger;
  clock?: Clock;
}

const SLICE_SIZE = 512;
/** One transaction takes at most this many batches' worth of rows (see flushRowLimit). */
const FLUSH_ROW_LIMIT_BATCHES = 10;
const QUIET_MS = 100;
const REJECT_LOG_WINDOW_MS = 1000;
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 5000;
const PRUNE_BATCH_SIZE = 500;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

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
    flushIntervalMs: config.flushInterval,
    batchSize: config.batchSize,
    flushRowLimit: config.batchSize * FLUSH_ROW_LIMIT_BATCHES,
    retryBaseMs: RETRY_BASE_MS,
    retryMaxMs: RETRY_MAX_MS,
  });
  persistence.actor.start();

  const ingestLogger = logger.child({ component: 'ingest' });
  const rejects = new RejectCounter({ logger: ingestLogger, windowMs: REJECT_LOG_WINDOW_MS });
  const processes = config.processChecks ? procfsTable : trustingTable;
  const monitor = new Monitor({
    clock,
    logger: logger.child({ component: 'monitor' }),
    processes,
    staleTimeoutMs: config.staleTimeout * 1000,
    staleGraceMs: config.staleGrace * 1000,
    crashLoopRegisters: config.crashLoopRegisters,
    crashLoopWindowMs: config.crashLoopWindow * 1000,
    selfReportIntervalMs: config.probeInterval * 1000,
    persist: (batch) => persistence.enqueue(batch),
    refuse: (code, detail) => rejects.count(code, detail, 0),
    onSpawn: (actor) => inspectionSwitch.track(actor),
  });

  const inspectionSwitch = new InspectionSwitch(() => [
    persistence.actor,
    ...(config.processChecks ? [probe] : []),
    ...monitor.listActors(),
  ]);
  const inspection = new InspectionControl(inspectionSwitch, {
    relay: config.inspect,
    relayPort: config.inspectPort,
    recordFile: config.inspectRecord,
  });

  const restored = readRestorableBots(config.db, config.staleTimeout * 1000);
  monitor.restore(restored);
  if (restored.length > 0) logger.info({ bots: restored.length }, 'bots restored');

  const probe = createProbeActor({
    monitor,
    processes,
    intervalMs: config.probeInterval * 1000,
    clock,
    logger: logger.child({ component: 'probe' }),
  });
  if (config.processChecks) probe.start();

  const stopRetention = startRetention(
    {
      store,
      days: {
        bot_metrics: config.retainMetricsDays,
        bot_events: config.retainEventsDays,
        llm_usage: config.retainUsageDays,
      },
      batchSize: PRUNE_BATCH_SIZE,
      logger: logger.child({ component: 'retention' }),
    },
    clock.now,
    PRUNE_EVERY_MS,
  );

  const mailbox: Mailbox<Message> = new Mailbox<Message>({
    highWater: config.mailboxSize,
    lowWater: Math.floor(config.mailboxSize / 2),
    sliceSize: SLICE_SIZE,
    onSlice: (messages) => monitor.handleSlice(messages),
    onPressure: (paused) => listener.setPaused(paused),
    isHeld: () => persistence.backlog() >= config.maxPendingRows,
  });
  persistence.actor.subscribe(() => mailbox.wake());

  const listener = new IngestListener({
    socketPath: config.socket,
    backlog: config.backlog,
    maxLineBytes: config.maxLineLength,
    maxConnections: config.maxConnections,
    idleTimeoutMs: config.idleTimeout * 1000,
    permissions: { mode: config.socketMode, group: config.socketGroup },
    clock,
    deliver: (message) => mailbox.push(message),
    rejects,
    logger: ingestLogger,
  });

  const debug = createDebugServer({
    config,
    logger: logger.child({ component: 'debug' }),
    clock,
    startedAt,
    listener,
    monitor,
    rejects,
    mailbox,
    persistence,
    inspection,
    probe: () => {
      if (!config.processChecks) return null;
      const { rounds, failures, lastRoundMs, intervalMs } = probe.getSnapshot().context;
      return { rounds, failures, lastRoundMs, intervalMs };
    },
  });

  let listening = false;
  try {
    if (inspection.requestedAtStart) {
      const status = await inspection.turnOn();
      logger.info({ url: status.url, recordFile: status.recordFile }, 'inspection on');
    }
    await listener.listen();
    listening = true;
    await debug.listen();
  } catch (error) {
    if (listening) await listener.close(0, 0);
    await inspection.close();
    stopRetention();
    probe.stop();
    monitor.stop();
    persistence.actor.stop();
    await store.close();
    throw error;
  }
  logger.info(
    { socket: config.socket, debugSocket: debug.socketPath, db: config.db },
    'monitor started',
  );

  async function stop(): Promise<void> {
    logger.info('monitor stopping');
    await debug.close();
    await listener.close(QUIET_MS, config.drainTimeout);
    stopRetention();
    probe.stop();
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

    await inspection.close();
    await store.close();
    rejects.flush();
    logger.info(
      { bots: monitor.size, rowsWritten: persistence.stats.rowsWritten, rejected: rejects.total },
      'monitor stopped',
    );
  }

  return {
    config,
    startedAt,
    store,
    persistence,
    monitor,
    probe,
    mailbox,
    rejects,
    listener,
    debug,
    inspection,
    stop,
  };
}
