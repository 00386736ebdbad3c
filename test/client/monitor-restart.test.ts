import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MonitorClient } from '../../src/client/index.js';
import { query } from '../helpers/database.js';
import { startMonitorProcess, type MonitorProcess } from '../helpers/monitor-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from './fixtures/servers.js';

describe('a monitor killed mid-stream and started again', () => {
  const dir = makeTempDir();
  const args = ['--socket', dir.file('ingest.sock'), '--db', dir.file('monitor.db')];
  let monitor: MonitorProcess | undefined;
  let client: MonitorClient | undefined;
  afterEach(async () => {
    await client?.close(0);
    if (monitor && monitor.child.exitCode === null) await monitor.stop('SIGKILL');
  });
  afterAll(() => dir.cleanup());

  const stateOf = (channel: string) =>
    query<{ state: string }>(
      dir.file('monitor.db'),
      'SELECT state FROM bot_status WHERE channel = ?',
      channel,
    )[0]?.state;

  it('gets the bot re-registered and alive without the bot doing anything', async () => {
    monitor = await startMonitorProcess(args);
    client = new MonitorClient('phoenix_bot', process.pid, {
      socketPath: dir.file('ingest.sock'),
      reconnectMinMs: 10,
      reconnectMaxMs: 100,
    });
    await client.register({ llm: true });
    await client.startHeartbeat(60_000);
    for (let i = 1; i <= 200; i += 1) {
      await client.logLlmUsage({ model: 'm', feature: 'chat', tokensIn: i, tokensOut: 1 });
    }
    await waitUntil(() => stateOf('phoenix_bot') === 'alive');

    const inFlight = Array.from({ length: 100 }, (_, i) =>
      client!.logLlmUsage({ model: 'm', feature: 'chat', tokensIn: 1000 + i, tokensOut: 1 }),
    );
    await monitor.stop('SIGKILL');
    await Promise.all(inFlight);
    await waitUntil(() => client!.stats.disconnects === 1);
    monitor = await startMonitorProcess(args);
    await waitUntil(() => client!.stats.connects === 2);
    expect(await monitor.stop('SIGTERM')).toBe(0);

    const events = query<{ to_state: string; reason: string }>(
      dir.file('monitor.db'),
      'SELECT to_state, reason FROM bot_events WHERE channel = ? ORDER BY id',
      'phoenix_bot',
    );
    expect(events.slice(-2)).toEqual([
      expect.objectContaining({ to_state: 'registered' }),
      expect.objectContaining({ to_state: 'alive', reason: 'heartbeat' }),
    ]);
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(stateOf('phoenix_bot')).toBe('alive');
    expect(client.stats).toMatchObject({ dropped: 0, queued: 0, invalid: 0 });
  });

  it('delivers, after the restart, what the bot logged while the monitor was down', async () => {
    monitor = await startMonitorProcess(args);
    client = new MonitorClient('patient_bot', process.pid, {
      socketPath: dir.file('ingest.sock'),
      reconnectMinMs: 10,
      reconnectMaxMs: 100,
    });
    await client.register({});
    await monitor.stop('SIGKILL');
    await waitUntil(() => client!.stats.disconnects === 1);

    for (let i = 1; i <= 5; i += 1) {
      await client.logLlmUsage({ model: 'm', feature: 'offline', tokensIn: i, tokensOut: 0 });
    }
    monitor = await startMonitorProcess(args);
    await waitUntil(() => client!.stats.queued === 0);
    expect(await monitor.stop('SIGTERM')).toBe(0);

    const rows = query<{ tokens_in: number }>(
      dir.file('monitor.db'),
      "SELECT tokens_in FROM llm_usage WHERE feature = 'offline' ORDER BY id",
    );
    expect(rows.map((row) => row.tokens_in)).toEqual([1, 2, 3, 4, 5]);
    expect(stateOf('patient_bot')).toBe('registered');
  });
});
