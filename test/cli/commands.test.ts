import { once } from 'node:events';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliErrorCode, DebugErrorCode } from '../../src/protocol/errors.js';
import { formatTimestamp } from '../../src/store/rows.js';
import {
  runKissmon,
  runKissmonToEnd,
  startMonitorProcess,
  type MonitorProcess,
} from '../helpers/monitor-process.js';
import { line, sendPersistent } from '../helpers/send.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { PATIENCE } from '../helpers/patience.js';

const usage = (channel: string, model: string, extra: Record<string, unknown> = {}) =>
  line({
    type: 'llm_usage',
    channel,
    model,
    feature: 'chat',
    tokens_in: 10,
    tokens_out: 4,
    ...extra,
  });

describe('kissmon commands against a running monitor', () => {
  const dir = makeTempDir();
  const socket = dir.file('ingest.sock');
  const db = dir.file('monitor.db');
  let monitor: MonitorProcess;

  beforeAll(async () => {
    monitor = await startMonitorProcess(['--socket', socket, '--db', db, '--no-process-checks']);
    await sendPersistent(socket, [
      line({ type: 'register', channel: 'alpha', pid: 11, features: { chat: true } }),
      line({ type: 'heartbeat', channel: 'alpha', pid: 11, cpu_pct: 1.5, rss_mb: 64 }),
      line({ type: 'heartbeat', channel: 'beta', pid: 22 }),
    ]);
  });

  afterAll(async () => {
    if (monitor.child.exitCode === null) await monitor.stop('SIGKILL');
    dir.cleanup();
  });

  it('status --json lists every bot with state, pid and flags', async () => {
    await vi.waitFor(async () => {
      const { code, stdout } = await runKissmonToEnd(['status', '--json', '--socket', socket]);
      expect(code).toBe(0);
      const bots = JSON.parse(stdout);
      expect(bots.map((bot: any) => [bot.channel, bot.state, bot.pid, bot.flags])).toEqual([
        ['alpha', 'alive', 11, []],
        ['beta', 'alive', 22, ['implicit']],
      ]);
    }, PATIENCE);
  });

  it('status prints a table, without colours when stdout is not a terminal', async () => {
    const { code, stdout } = await runKissmonToEnd(['status', '--socket', socket]);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'channel',
      'state',
      'pid',
      'uptime',
      'heartbeat',
      'cpu',
      'memory',
      'flags',
    ]);
    expect(rows[0]).toMatch(/^alpha\s+alive\s+11\s+.*1\.5%\s+64\.0 MB\s+-$/);
    expect(rows[1]).toMatch(/implicit$/);
    expect(stdout).not.toContain('\u001b[');
  });

  it('inspect shows one bot, and a coded error for a channel it does not know', async () => {
    const known = await runKissmonToEnd(['inspect', 'alpha', '--json', '--socket', socket]);
    expect(known.code).toBe(0);
    expect(JSON.parse(known.stdout)).toMatchObject({ state: 'alive', context: { pid: 11 } });

    const unknown = await runKissmonToEnd(['inspect', 'nobody', '--socket', socket]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain(DebugErrorCode.unknownBot);
  });

  it('stats prints the counters, as JSON with --json', async () => {
    const json = await runKissmonToEnd(['stats', '--json', '--socket', socket]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).messages).toMatchObject({ register: 1, heartbeat: 2 });

    const text = await runKissmonToEnd(['stats', '--socket', socket]);
    expect(text.stdout).toMatch(/^messages\.register\s+1$/m);
  });

  it('watch prints the transition that a real message causes', async () => {
    const watcher = runKissmon(['watch', '--json', '--socket', socket]);
    const lines = createInterface({ input: watcher.stdout! })[Symbol.asyncIterator]();

    const ack = JSON.parse((await lines.next()).value as string);
    expect(ack).toMatchObject({ ok: true, result: { watching: true } });

    await sendPersistent(socket, [
      line({ type: 'register', channel: 'gamma', pid: 33, features: {} }),
    ]);
    const event = JSON.parse((await lines.next()).value as string);
    watcher.kill();
    expect(event).toMatchObject({
      event: 'transition',
      transition: { channel: 'gamma', from: null, to: 'registered', pid: 33 },
    });
  });
});

describe('kissmon commands without a monitor', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it.each([['status'], ['inspect', 'alpha'], ['watch'], ['stats']])(
    '%s says in one line that no monitor is running, and exits 1',
    async (...command) => {
      const socket = dir.file('nobody.sock');
      const { code, stdout, stderr } = await runKissmonToEnd([...command, '--socket', socket]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(CliErrorCode.monitorNotRunning);
      expect(stderr).toContain(dir.file('nobody.debug.sock'));
    },
  );

  it.each([['status'], ['inspect'], ['watch'], ['stats'], ['usage']])(
    '%s --help describes its options',
    async (command) => {
      const { code, stdout } = await runKissmonToEnd([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: kissmon ${command}`);
      expect(stdout).toContain('--json');
    },
  );
});

describe('kissmon usage', () => {
  const dir = makeTempDir();
  const socket = dir.file('usage.sock');
  const db = dir.file('usage.db');

  beforeAll(async () => {
    const monitor = await startMonitorProcess([
      '--socket',
      socket,
      '--db',
      db,
      '--no-process-checks',
    ]);
    await sendPersistent(socket, [
      usage('alpha', 'gpt', { latency_ms: 100, estimated_cost: 0.01 }),
      usage('alpha', 'gpt', { latency_ms: 300 }),
      usage('alpha', 'claude', { latency_ms: 200, estimated_cost: 0.02 }),
      usage('beta', 'gpt'),
    ]);
    expect(await monitor.stop()).toBe(0);

    const old = formatTimestamp(Date.now() - 3 * 86_400_000);
    const writable = new Database(db);
    writable
      .prepare(
        `INSERT INTO llm_usage (ts, channel, model, feature, tokens_in, tokens_out, latency_ms)
         VALUES (?, 'alpha', 'gpt', 'chat', 1000, 1000, 5000)`,
      )
      .run(old);
    writable.close();
  });

  afterAll(() => dir.cleanup());

  it('reports calls, tokens, latency p50/p95 and cost per channel, monitor not running', async () => {
    const { code, stdout } = await runKissmonToEnd(['usage', '--db', db, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        key: 'alpha',
        calls: 3,
        tokensIn: 30,
        tokensOut: 12,
        latencyP50Ms: 200,
        latencyP95Ms: 300,
        cost: expect.closeTo(0.03, 10),
        costedCalls: 2,
      },
      {
        key: 'beta',
        calls: 1,
        tokensIn: 10,
        tokensOut: 4,
        latencyP50Ms: null,
        latencyP95Ms: null,
        cost: null,
        costedCalls: 0,
      },
    ]);
  });

  it('counts older rows only when --since reaches back to them', async () => {
    const day = JSON.parse(
      (await runKissmonToEnd(['usage', '--db', db, '--by', 'model', '--json'])).stdout,
    );
    const week = JSON.parse(
      (await runKissmonToEnd(['usage', '--db', db, '--by', 'model', '--since', '7d', '--json']))
        .stdout,
    );
    const gpt = (rows: any[]) => rows.find((row) => row.key === 'gpt');
    expect(gpt(day).calls).toBe(3);
    expect(gpt(week).calls).toBe(4);
    expect(gpt(week).tokensIn).toBe(1030);
  });

  it('prints a table by default and refuses a bad --since or a missing database', async () => {
    const table = await runKissmonToEnd(['usage', '--db', db, '--by', 'feature']);
    expect(table.stdout).toMatch(
      /^feature\s+calls\s+tokens in\s+tokens out\s+p50 ms\s+p95 ms\s+cost$/m,
    );
    expect(table.stdout).toMatch(/^chat\s+4\s+40\s+16\s/m);

    const badSince = await runKissmonToEnd(['usage', '--db', db, '--since', 'yesterday']);
    expect(badSince.code).toBe(1);
    expect(badSince.stderr).toContain(CliErrorCode.invalidDuration);

    const missing = await runKissmonToEnd(['usage', '--db', dir.file('missing.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(CliErrorCode.databaseNotFound);
  });
});
