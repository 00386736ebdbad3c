import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { query } from '../helpers/database.js';
import { startMonitorProcess } from '../helpers/monitor-process.js';
import { kill, killSleepers, spawnSleeper } from '../helpers/processes.js';
import { line, sendPersistent } from '../helpers/send.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestMonitor } from '../helpers/test-monitor.js';

type TestMonitor = Awaited<ReturnType<typeof startTestMonitor>>;

const register = (channel: string, pid: number) =>
  line({ type: 'register', channel, pid, features: { llm: true } });
const heartbeat = (channel: string, pid: number) => line({ type: 'heartbeat', channel, pid });

// Waits for rows that a real monitor process writes on its own schedule (bounded).
async function waitForRows(db: string, sql: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = query(db, sql);
    if (rows.length >= count) return;
    if (Date.now() > deadline) throw new Error(`waited 10 s for ${count} rows of ${sql}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('restart without amnesia', () => {
  const dir = makeTempDir();
  let restarted: TestMonitor | undefined;

  afterEach(async () => {
    await restarted?.stop();
    await killSleepers();
  });

  it('restores every bot after kill -9, with no stale alert in the grace window', async () => {
    const socket = dir.file('first.sock');
    const db = dir.file('restart.db');
    const first = await startMonitorProcess([
      '--socket',
      socket,
      '--db',
      db,
      '--flush-interval',
      '5',
    ]);

    const [alive, quiet, doomed, leaving] = [
      spawnSleeper(),
      spawnSleeper(),
      spawnSleeper(),
      spawnSleeper(),
    ];
    await sendPersistent(socket, [
      register('alive_bot', alive.pid),
      heartbeat('alive_bot', alive.pid),
      register('quiet_bot', quiet.pid),
      register('doomed_bot', doomed.pid),
      heartbeat('doomed_bot', doomed.pid),
      register('leaving_bot', leaving.pid),
      line({ type: 'unregister', channel: 'leaving_bot', pid: leaving.pid }),
    ]);
    await waitForRows(db, "SELECT 1 FROM bot_status WHERE state = 'unregistered'", 1);
    await first.stop('SIGKILL');
    await kill(doomed);

    // kissmon comes back five minutes later: every last heartbeat is older than the timeout.
    const clock = new SimulatedClock();
    clock.set(Date.now() + 5 * 60_000);
    restarted = await startTestMonitor(
      { socket: dir.file('second.sock'), db },
      { clock: { now: () => clock.now(), timers: clock } },
    );
    const { monitor } = restarted.service;
    const state = (channel: string) => monitor.getSnapshot(channel)?.value;

    expect(state('alive_bot')).toBe('alive');
    expect(state('quiet_bot')).toBe('registered');
    expect(state('doomed_bot')).toBe('dead');
    expect(monitor.getSnapshot('doomed_bot')!.context.reason).toBe(
      `process ${doomed.pid} ended while kissmon was down`,
    );
    expect(state('leaving_bot')).toBeUndefined();

    clock.increment(59_999);
    expect(state('alive_bot')).toBe('alive');
    clock.increment(1);
    expect(state('alive_bot')).toBe('stale');

    await restarted.stop();
    const rows = query(db, 'SELECT channel, state, restored FROM bot_status ORDER BY channel');
    expect(rows).toEqual([
      { channel: 'alive_bot', state: 'stale', restored: 1 },
      { channel: 'doomed_bot', state: 'dead', restored: 1 },
      { channel: 'leaving_bot', state: 'unregistered', restored: 0 },
      { channel: 'quiet_bot', state: 'stale', restored: 1 },
    ]);
  });

  it('keeps true states in the database on a graceful stop', async () => {
    const socket = dir.file('graceful.sock');
    const db = dir.file('graceful.db');
    const monitor = await startMonitorProcess(['--socket', socket, '--db', db]);
    const bot = spawnSleeper();

    await sendPersistent(socket, [
      register('still_running', bot.pid),
      heartbeat('still_running', bot.pid),
    ]);
    expect(await monitor.stop('SIGTERM')).toBe(0);

    expect(query(db, 'SELECT status, state FROM bot_status')).toEqual([
      { status: 'online', state: 'alive' },
    ]);
  });
});
