import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { query } from '../helpers/database.js';
import { ROOT } from '../helpers/monitor-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestMonitor } from '../helpers/test-monitor.js';

const run = promisify(execFile);
const dir = makeTempDir();
afterAll(() => dir.cleanup());

const isInstalled = (command: string) =>
  spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

interface Example {
  title: string;
  channel: string;
  command: string;
  args: string[];
}

const scripted: Example[] = [
  {
    title: 'Python, one connection a message',
    channel: 'py_sync',
    command: 'python3',
    args: ['docs/examples/python_sync.py'],
  },
  {
    title: 'Python asyncio',
    channel: 'py_asyncio',
    command: 'python3',
    args: ['docs/examples/python_asyncio.py'],
  },
  {
    title: 'Node without the SDK',
    channel: 'node_plain',
    command: process.execPath,
    args: ['docs/examples/node_plain.mjs'],
  },
  { title: 'shell with nc -U', channel: 'shell_nc', command: 'sh', args: ['docs/examples/nc.sh'] },
  {
    title: 'shell with socat',
    channel: 'shell_socat',
    command: 'sh',
    args: ['docs/examples/socat.sh'],
  },
];

/** Runs one example against a real monitor and returns what the monitor wrote about it. */
async function runAgainstMonitor(example: Example) {
  const monitor = await startTestMonitor();
  const child = execFile(example.command, [...example.args, example.channel], {
    cwd: ROOT,
    env: { ...process.env, KISSMON_SOCKET: monitor.config.socket },
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const code = await exit;
  await monitor.stop();
  const db = monitor.config.db;
  const rows = {
    code,
    stderr,
    pid: child.pid,
    status: query(db, 'SELECT channel, pid, status, state, reason FROM bot_status'),
    usage: query(db, 'SELECT channel, model, feature, tokens_in, tokens_out FROM llm_usage'),
    events: query(db, 'SELECT to_state FROM bot_events ORDER BY id'),
    rejected: monitor.service.rejects.total,
  };
  monitor.dir.cleanup();
  return rows;
}

function expectWholeLifecycle(
  result: Awaited<ReturnType<typeof runAgainstMonitor>>,
  channel: string,
) {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.rejected).toBe(0);
  expect(result.status).toEqual([
    { channel, pid: result.pid, status: 'offline', state: 'unregistered', reason: 'shutdown' },
  ]);
  expect(result.usage).toEqual([
    { channel, model: 'gpt-4o-mini', feature: 'chat', tokens_in: 812, tokens_out: 64 },
  ]);
  expect(result.events).toEqual([
    { to_state: 'registered' },
    { to_state: 'alive' },
    { to_state: 'unregistered' },
  ]);
}

describe('the protocol examples in docs/examples', () => {
  it.each(scripted)('$title: registers, beats, logs usage and leaves', async (example) => {
    expectWholeLifecycle(await runAgainstMonitor(example), example.channel);
  });

  const hasRustc = isInstalled('rustc');
  it.skipIf(!hasRustc)(
    hasRustc
      ? 'Rust, std only: compiles offline and runs the whole lifecycle'
      : 'Rust, std only: compiles and runs (skipped: rustc is not installed here)',
    async () => {
      const binary = dir.file('rust_std');
      await run('rustc', ['--edition', '2021', 'docs/examples/rust_std.rs', '-o', binary], {
        cwd: ROOT,
      });
      const example = { title: 'Rust', channel: 'rust_std', command: binary, args: [] };
      expectWholeLifecycle(await runAgainstMonitor(example), example.channel);
    },
  );

  const hasGo = isInstalled('go');
  it.skipIf(!hasGo)(
    hasGo
      ? 'Go, standard library only: compiles and runs the whole lifecycle'
      : 'Go, standard library only: compiles and runs (skipped: go is not installed here)',
    async () => {
      const binary = dir.file('go_stdlib');
      // A single file outside any module builds as `command-line-arguments`: no go.mod needed.
      await run('go', ['build', '-o', binary, 'docs/examples/go_stdlib.go'], { cwd: ROOT });
      const example = { title: 'Go', channel: 'go_stdlib', command: binary, args: [] };
      expectWholeLifecycle(await runAgainstMonitor(example), example.channel);
    },
  );
});
