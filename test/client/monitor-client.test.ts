import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { MonitorClient, type ClientMode } from '../../src/client/index.js';
import { query } from '../helpers/database.js';
import { ROOT } from '../helpers/monitor-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestMonitor } from '../helpers/test-monitor.js';

type TestMonitor = Awaited<ReturnType<typeof startTestMonitor>>;

describe.each<ClientMode>(['persistent', 'per-message'])('MonitorClient in %s mode', (mode) => {
  let monitor: TestMonitor;
  afterEach(() => monitor?.cleanup());

  it('records the whole lifecycle of a bot in the database', async () => {
    monitor = await startTestMonitor();
    const client = new MonitorClient('life_bot', process.pid, {
      socketPath: monitor.config.socket,
      mode,
    });

    const results = [
      await client.register({ llm: true, tts: false }, { version: '2.1', host: 'box-1' }),
      await client.startHeartbeat(60_000),
      await client.logLlmUsage({
        model: 'gpt-x',
        feature: 'chat',
        tokensIn: 812,
        tokensOut: 64,
        latencyMs: 930,
        estimatedCost: 0.0021,
      }),
      await client.unregister('shutdown'),
      await client.close(),
    ];
    await monitor.stop();

    expect(results).toEqual([true, true, true, true, true]);
    expect(client.stats).toMatchObject({ sent: 4, dropped: 0, invalid: 0 });
    const db = monitor.config.db;
    expect(
      query(
        db,
        'SELECT channel, pid, status, state, reason, features_json, version FROM bot_status',
      ),
    ).toEqual([
      {
        channel: 'life_bot',
        pid: process.pid,
        status: 'offline',
        state: 'unregistered',
        reason: 'shutdown',
        features_json: '{"llm":true,"tts":false}',
        version: '2.1',
      },
    ]);
    expect(
      query(db, 'SELECT model, feature, tokens_in, tokens_out, latency_ms, pid FROM llm_usage'),
    ).toEqual([
      {
        model: 'gpt-x',
        feature: 'chat',
        tokens_in: 812,
        tokens_out: 64,
        latency_ms: 930,
        pid: process.pid,
      },
    ]);
    expect(query(db, 'SELECT to_state FROM bot_events ORDER BY id')).toEqual([
      { to_state: 'registered' },
      { to_state: 'alive' },
      { to_state: 'unregistered' },
    ]);
  });
});

describe('MonitorClient', () => {
  let monitor: TestMonitor | undefined;
  afterEach(() => monitor?.cleanup());

  it('writes on close what it queued before the monitor was there', async () => {
    const dir = makeTempDir();
    const socket = dir.file('late.sock');
    const client = new MonitorClient('early_bot', 7, {
      socketPath: socket,
      reconnectMinMs: 60_000,
    });

    expect(await client.register({ llm: true })).toBe(false);
    for (let i = 1; i <= 3; i += 1) {
      expect(
        await client.logLlmUsage({ model: 'm', feature: 'f', tokensIn: i, tokensOut: 0 }),
      ).toBe(false);
    }
    expect(client.stats.queued).toBe(3);

    monitor = await startTestMonitor({ socket, db: dir.file('late.db') });
    expect(await client.close()).toBe(true);
    await monitor.stop();

    expect(query(monitor.config.db, 'SELECT tokens_in FROM llm_usage ORDER BY id')).toEqual([
      { tokens_in: 1 },
      { tokens_in: 2 },
      { tokens_in: 3 },
    ]);
    expect(query(monitor.config.db, 'SELECT state, implicit FROM bot_status')).toEqual([
      { state: 'registered', implicit: 0 },
    ]);
    dir.cleanup();
  });

  it('never keeps a bot process alive, heartbeat running and connection open', async () => {
    monitor = await startTestMonitor();
    const program = `
      import { MonitorClient } from './src/client/index.ts';
      const client = new MonitorClient('exiting_bot', process.pid, {
        socketPath: ${JSON.stringify(monitor.config.socket)},
      });
      console.log(await client.register({}), await client.startHeartbeat(1000));
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', program],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));

    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('true true');
  });

  it('resolves false once closed, whatever is called', async () => {
    const client = new MonitorClient('closed_bot', 7, { socketPath: makeTempDir().file('x') });
    await client.close(0);

    expect(await client.register({})).toBe(false);
    expect(await client.logLlmUsage({ model: 'm', feature: 'f', tokensIn: 1, tokensOut: 1 })).toBe(
      false,
    );
  });
});
