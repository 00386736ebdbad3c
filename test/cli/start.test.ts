import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerErrorCode } from '../../src/protocol/errors.js';
import { query } from '../helpers/database.js';
import {
  runKissmonToEnd,
  startMonitorProcess,
  type MonitorProcess,
} from '../helpers/monitor-process.js';
import { line } from '../helpers/send.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const usageFields = { type: 'llm_usage', model: 'm', feature: 'f', tokens_out: 0 };

describe('kissmon start', () => {
  const dir = makeTempDir();
  let monitor: MonitorProcess | undefined;
  afterEach(async () => {
    if (monitor && monitor.child.exitCode === null) await monitor.stop('SIGKILL');
    monitor = undefined;
  });

  it('lists every option with its default and environment variable', async () => {
    const { code, stdout } = await runKissmonToEnd(['start', '--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--socket',
      '--db',
      '--stale-timeout',
      '--flush-interval',
      '--batch-size',
      '--max-line-length',
      '--backlog',
      '--log-level',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('/tmp/kissbot_monitor.sock');
    expect(stdout).toContain('KISSMON_SOCKET');
  });

  it('takes its settings from KISSMON_* variables', async () => {
    const socket = dir.file('env.sock');
    monitor = await startMonitorProcess([], {
      KISSMON_SOCKET: socket,
      KISSMON_DB: dir.file('env.db'),
    });
    expect(monitor.logs.find((entry) => entry.msg === 'monitor started')).toMatchObject({ socket });
  });

  it('refuses a socket on which a live monitor answers', async () => {
    const socket = dir.file('busy.sock');
    const live = createServer().listen(socket);
    await once(live, 'listening');

    const { code, stderr } = await runKissmonToEnd([
      'start',
      '--socket',
      socket,
      '--db',
      dir.file('busy.db'),
    ]);
    live.close();
    expect(code).not.toBe(0);
    expect(stderr).toContain(ServerErrorCode.socketInUse);
  });

  it('removes a socket file a dead monitor left behind', async () => {
    const socket = dir.file('stale.sock');
    const listen =
      `require('net').createServer()` +
      `.listen(${JSON.stringify(socket)}, () => console.log('up'))`;
    const dead = spawn(process.execPath, ['-e', listen], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(dead.stdout!, 'data');
    dead.kill('SIGKILL');
    await once(dead, 'exit');
    expect(existsSync(socket)).toBe(true);

    monitor = await startMonitorProcess(['--socket', socket, '--db', dir.file('stale.db')]);
    expect(monitor.logs.some((entry) => entry.msg === 'removed stale socket file')).toBe(true);
  });

  it('accepts a line piped through nc -U, as the README shows', async () => {
    const socket = dir.file('nc.sock');
    const db = dir.file('nc.db');
    monitor = await startMonitorProcess(['--socket', socket, '--db', db]);

    execFileSync('sh', [
      '-c',
      `printf '%s\\n' '{"type":"heartbeat","channel":"x","pid":123}' | nc -U -q0 ${socket}`,
    ]);
    expect(await monitor.stop()).toBe(0);
    expect(query(db, 'SELECT channel, pid, state FROM bot_status')).toEqual([
      { channel: 'x', pid: 123, state: 'alive' },
    ]);
  });

  it('on SIGTERM writes every message sent before it, removes its socket and exits 0', async () => {
    const socket = dir.file('term.sock');
    const db = dir.file('term.db');
    monitor = await startMonitorProcess([
      '--socket',
      socket,
      '--db',
      db,
      '--flush-interval',
      '10000',
    ]);

    const persistent = connect(socket);
    await once(persistent, 'connect');
    const perMessage = Array.from({ length: 50 }, (_, i) => {
      const client = connect(socket, () =>
        client.end(`${line({ ...usageFields, channel: 'one_shot', tokens_in: i })}\n`),
      );
      client.on('error', () => undefined);
      return once(client, 'finish');
    });
    const streamed = Array.from({ length: 2000 }, (_, i) =>
      line({ ...usageFields, channel: 'streamer', tokens_in: i }),
    ).join('\n');
    await new Promise<void>((resolve) => persistent.write(`${streamed}\n`, () => resolve()));
    await Promise.all(perMessage);

    expect(await monitor.stop('SIGTERM')).toBe(0);
    persistent.destroy();

    expect(
      query(db, 'SELECT channel, COUNT(*) AS n FROM llm_usage GROUP BY channel ORDER BY channel'),
    ).toEqual([
      { channel: 'one_shot', n: 50 },
      { channel: 'streamer', n: 2000 },
    ]);
    expect(existsSync(socket)).toBe(false);
  });
});
