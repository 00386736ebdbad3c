/**
 * kissmon as the benchmarks run it: `startService` with the defaults of `kissmon start` (pino at
 * info, to this child's stdout), plus read-only hooks that time what the harness asks about.
 *
 * The hooks wrap `monitor.handleSlice`, `mailbox.push` and `store.write` on the instances: a
 * heartbeat whose status is `t=<epoch ms>` is timed once its slice is applied and once its status
 * row is committed; every committed batch reports its usage rows and its flush time; the
 * mailbox's deepest queue since the last reset is kept.
 *
 * Usage: kissmon.ts <socket> <db>
 */
import type { Message } from '../../../src/protocol/messages.js';
import { defaultConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logging.js';
import { startService } from '../../../src/service.js';
import type { Batch } from '../../../src/store/rows.js';
import { LagHistogram } from '../lag-histogram.js';
import { preciseNow } from '../precise-time.js';
import { summarize } from '../summary.js';
import { ProgressRecorder, serveHarness } from './server-ipc.js';

const STAMP = 't=';

const [socket, db] = process.argv.slice(2);
if (!socket || !db) throw new Error('usage: kissmon.ts <socket> <db>');

// The load's PIDs are made up (10,000 real bot processes would measure the kernel, not kissmon),
// so process checks are off here; the probe's own cost is scenario 7's.
const config = defaultConfig({ socket, db, processChecks: false });
const service = await startService(config, { logger: createLogger(config.logLevel) });
const { monitor, store, listener, rejects, mailbox } = service;

const progress = new ProgressRecorder();
let usageRows = 0;
let flushMs: number[] = [];
const appliedLag = new LagHistogram();
const persistedLag = new LagHistogram();
let unwritten: number[] = [];
let mailboxMaxDepth = 0;
// Read once the fleet has registered, then dropped by the reset that follows, so that the
// fleet's RSS holds no harness bookkeeping per bot.
let registeredAt: Record<string, number> = {};

monitor.onTransition(({ channel, from, to }) => {
  if (from === null && to === 'registered') registeredAt[channel] ??= preciseNow();
});

const handleSlice = monitor.handleSlice.bind(monitor);
monitor.handleSlice = (messages: readonly Message[]) => {
  handleSlice(messages);

  const applied = preciseNow();
  for (const message of messages) {
    if (message.type !== 'heartbeat' || !message.status?.startsWith(STAMP)) continue;
    const sent = Number(message.status.slice(STAMP.length));
    appliedLag.record(applied - sent);
    unwritten.push(sent);
  }
};

const push = mailbox.push.bind(mailbox);
mailbox.push = (message: Message) => {
  push(message);
  if (mailbox.depth > mailboxMaxDepth) mailboxMaxDepth = mailbox.depth;
};

const write = store.write.bind(store);
store.write = async (batch: Batch) => {
  const stamped = unwritten;
  unwritten = [];
  try {
    const result = await write(batch);

    const committed = preciseNow();
    for (const sent of stamped) persistedLag.record(committed - sent);
    flushMs.push(result.ms);
    usageRows += batch.usage.length;
    progress.record(usageRows);
    return result;
  } catch (error) {
    unwritten = stamped.concat(unwritten);
    throw error;
  }
};

serveHarness(progress, {
  stats: () => ({
    rows: usageRows,
    lines: listener.stats.lines,
    invalid: rejects.total,
    accepted: listener.stats.accepted,
    flushMs: summarize(flushMs),
    appliedLagMs: appliedLag.summary(),
    persistedLagMs: persistedLag.summary(),
    registeredAt,
    bots: monitor.size,
    mailboxDepth: mailbox.depth,
    mailboxMaxDepth,
  }),
  reset: () => {
    flushMs = [];
    appliedLag.reset();
    persistedLag.reset();
    registeredAt = {};
    mailboxMaxDepth = mailbox.depth;
  },
  stop: () => service.stop(),
});
