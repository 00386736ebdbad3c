import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import { RejectCode } from '../../src/protocol/errors.js';
import { sampleRound } from '../../src/probe/sample-round.js';
import { procfsTable } from '../../src/probe/process-table.js';
import { query } from '../helpers/database.js';
import { kill, killSleepers, spawnSleeper } from '../helpers/processes.js';
import { line, sendPersistent } from '../helpers/send.js';
import { startTestMonitor } from '../helpers/test-monitor.js';

type TestMonitor = Awaited<ReturnType<typeof startTestMonitor>>;

const register = (channel: string, pid: number) =>
  line({ type: 'register', channel, pid, features: { llm: true } });
const heartbeat = (channel: string, pid: number, extra: object = {}) =>
  line({ type: 'heartbeat', channel, pid, ...extra });

describe('process truth', () => {
  let monitor: TestMonitor;
  let clock: SimulatedClock;

  async function start(overrides = {}) {
    clock = new SimulatedClock();
    clock.set(Date.now());
    monitor = await startTestMonitor(
      { probeInterval: 15, crashLoopRegisters: 2, crashLoopWindow: 300, ...overrides },
      { clock: { now: () => clock.now(), timers: clock } },
    );
    return monitor;
  }

  // Runs one probe round on simulated time and waits for it to finish.
  async function probeRound() {
    const rounds = monitor.service.probe.getSnapshot().context.rounds;
    clock.increment(15_000);
    await waitFor(monitor.service.probe, (s) => s.context.rounds > rounds && s.matches('waiting'));
  }

  const state = (channel: string) => monitor.service.monitor.getSnapshot(channel)?.value;
  const context = (channel: string) => monitor.service.monitor.getSnapshot(channel)!.context;

  afterEach(async () => {
    await monitor?.cleanup();
    await killSleepers();
  });

  it('samples CPU and memory of live bots into bot_metrics', async () => {
    await start();
    const bot = spawnSleeper();
    await sendPersistent(monitor.config.socket, [register('sampled', bot.pid)]);

    await probeRound();
    await monitor.stop();

    const rows = query<{ pid: number; rss_mb: number; source: string; features_json: string }>(
      monitor.config.db,
      'SELECT pid, rss_mb, source, features_json FROM bot_metrics',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ pid: bot.pid, source: 'probe', features_json: '{"llm":true}' });
    expect(rows[0]!.rss_mb).toBeGreaterThan(0);
  });

  it('marks a bot dead within one probe interval of its process ending', async () => {
    await start();
    const bot = spawnSleeper();
    await sendPersistent(monitor.config.socket, [register('doomed', bot.pid)]);

    await kill(bot);
    expect(state('doomed')).toBe('registered');
    await probeRound();

    expect(state('doomed')).toBe('dead');
    expect(context('doomed').reason).toBe(`process ${bot.pid} is gone`);
    await monitor.stop();
    expect(
      query(monitor.config.db, "SELECT status, state FROM bot_status WHERE channel = 'doomed'"),
    ).toEqual([{ status: 'dead', state: 'dead' }]);
  });

  it('refuses a register whose PID is not running, with a coded reason', async () => {
    await start();
    const bot = spawnSleeper();
    await kill(bot);

    await sendPersistent(monitor.config.socket, [register('ghost', bot.pid)]);
    await monitor.stop();

    expect(monitor.service.rejects.byCode.get(RejectCode.pidNotRunning)).toBe(1);
    expect(query(monitor.config.db, 'SELECT * FROM bot_status')).toEqual([]);
  });

  it('treats a PID that now runs another process as a dead bot', async () => {
    const bot = spawnSleeper();
    const startTime = procfsTable.startTime(bot.pid)!;
    const target = {
      channel: 'reused',
      pid: bot.pid,
      startTime: startTime + 1,
      role: 'bot' as const,
    };

    const [finding] = await sampleRound([target], procfsTable);
    expect(finding).toMatchObject({
      kind: 'gone',
      reason: expect.stringContaining('another process'),
    });
  });

  it('registers a bot implicitly from its first heartbeat', async () => {
    await start();
    const bot = spawnSleeper();
    await sendPersistent(monitor.config.socket, [heartbeat('quiet_one', bot.pid)]);
    await monitor.stop();

    expect(
      query(monitor.config.db, 'SELECT state, implicit, features_json FROM bot_status'),
    ).toEqual([{ state: 'alive', implicit: 1, features_json: '{}' }]);
  });

  it('stores CPU and memory that bots report themselves, marked as such', async () => {
    await start();
    const bot = spawnSleeper();
    await sendPersistent(monitor.config.socket, [
      register('reporter', bot.pid),
      heartbeat('reporter', bot.pid, { rss_mb: 42.5, cpu_pct: 3.5 }),
    ]);
    await monitor.stop();

    expect(query(monitor.config.db, 'SELECT rss_mb, cpu_pct, source FROM bot_metrics')).toEqual([
      { rss_mb: 42.5, cpu_pct: 3.5, source: 'self' },
    ]);
  });

  it('records a duplicate instance while both processes run, and clears it when one ends', async () => {
    await start();
    const first = spawnSleeper();
    const second = spawnSleeper();
    await sendPersistent(monitor.config.socket, [
      register('twice', first.pid),
      register('twice', second.pid),
    ]);

    expect(context('twice')).toMatchObject({ pid: second.pid, duplicatePid: first.pid });
    await sendPersistent(monitor.config.socket, [heartbeat('twice', first.pid)]);
    expect(context('twice').pid).toBe(second.pid);

    await kill(first);
    await probeRound();
    expect(context('twice').duplicatePid).toBeUndefined();
    await monitor.stop();

    const events = query<{ reason: string }>(
      monitor.config.db,
      'SELECT reason FROM bot_events ORDER BY id',
    );
    expect(events.map((event) => event.reason)).toEqual([
      'registered',
      `duplicate: pid ${first.pid} still running`,
      `duplicate pid ${first.pid} gone`,
    ]);
  });

  it('marks a crash loop and clears it once the bot stays up for the window', async () => {
    await start();
    const pids = [spawnSleeper(), spawnSleeper(), spawnSleeper(), spawnSleeper()].map(
      (child) => child.pid,
    );
    for (const pid of pids) {
      await sendPersistent(monitor.config.socket, [register('flappy', pid)]);
      clock.increment(1000);
    }
    expect(context('flappy').crashLooping).toBe(true);

    clock.increment(300_000);
    expect(context('flappy').crashLooping).toBe(false);
    await monitor.stop();

    const rows = query<{ reason: string }>(
      monitor.config.db,
      'SELECT reason FROM bot_events ORDER BY id',
    );
    expect(rows.map((row) => row.reason)).toContain('crash loop over: stayed up');
  });
});
