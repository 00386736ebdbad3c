/**
 * One server under test as a child process of the harness: kissmon or a baseline, on a socket
 * and database of its own in a fresh temp dir. Talks to it over IPC and reads its CPU time and
 * RSS from /proc, which counts every thread (the store worker included).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MONITOR_NODE_FLAGS } from '../../src/node-flags.js';
import type { FromServer, ServerStats, ToServer } from './servers/server-ipc.js';

export type ServerKind = 'parse' | 'sqlite' | 'bare' | 'kissmon';

const CLOCK_TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

function scriptOf(kind: ServerKind): string {
  const name = kind === 'kissmon' ? 'kissmon.ts' : 'baseline.ts';
  return fileURLToPath(new URL(`./servers/${name}`, import.meta.url));
}

// BENCH_CPU_PROF=<dir> profiles kissmon (every thread of it) into <dir>, baselines untouched.
function profileArgs(kind: ServerKind): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir && kind === 'kissmon' ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

// kissmon runs with the Node flags it is launched with (bin/kissmon), then any in
// BENCH_KISSMON_FLAGS, for trying others; the baselines run on Node's defaults.
function nodeFlags(kind: ServerKind): string[] {
  if (kind !== 'kissmon') return [];
  const extra = process.env.BENCH_KISSMON_FLAGS?.split(' ').filter(Boolean) ?? [];
  return [...MONITOR_NODE_FLAGS, ...extra];
}

export class ServerProcess {
  readonly kind: ServerKind;
  readonly dir: string;
  readonly socket: string;
  readonly db: string;
  private readonly child: ChildProcess;
  private readonly waiting = new Map<FromServer['kind'], ((message: FromServer) => void)[]>();

  private constructor(kind: ServerKind, dir: string) {
    this.kind = kind;
    this.dir = dir;
    this.socket = join(dir, 'ingest.sock');
    this.db = join(dir, 'bench.db');

    const args = kind === 'kissmon' ? [this.socket, this.db] : [kind, this.socket, this.db];
    this.child = fork(scriptOf(kind), args, {
      execArgv: ['--import', 'tsx', '--expose-gc', ...nodeFlags(kind), ...profileArgs(kind)],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: FromServer) =>
      this.waiting.get(message.kind)?.shift()?.(message),
    );
  }

  static async start(kind: ServerKind): Promise<ServerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'kissbench-'));
    const server = new ServerProcess(kind, dir);

    const exited = once(server.child, 'exit').then(([code]) => {
      throw new Error(`${kind} server exited with ${code} before it was ready`);
    });
    await Promise.race([server.expect('ready', START_TIMEOUT_MS), exited]);
    exited.catch(() => undefined);
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves when the server has persisted `rows` usage rows, with the time it did. */
  async awaitRows(rows: number, timeoutMs: number) {
    const reply = this.request({ kind: 'await', rows, timeoutMs }, 'awaited', timeoutMs + 5000);
    return (await reply) as Extract<FromServer, { kind: 'awaited' }>;
  }

  async stats(): Promise<ServerStats> {
    const reply = await this.request({ kind: 'stats' }, 'stats', 10_000);
    return (reply as Extract<FromServer, { kind: 'stats' }>).stats;
  }

  async reset(): Promise<void> {
    await this.request({ kind: 'reset' }, 'reset', 10_000);
  }

  /** Runs a full garbage collection in the server, so RSS shows what it retains. */
  async collectGarbage(): Promise<{ heapUsedBytes: number; memory: NodeJS.MemoryUsage }> {
    const reply = await this.request({ kind: 'collect' }, 'collected', 30_000);
    return reply as Extract<FromServer, { kind: 'collected' }>;
  }

  /** CPU seconds (user + system, all threads) and resident bytes, from /proc. */
  sampleUsage(): { cpuSeconds: number; mainThreadCpuSeconds: number; rssBytes: number } {
    const process = readStat(`/proc/${this.pid}/stat`);
    const mainThread = readStat(`/proc/${this.pid}/task/${this.pid}/stat`);
    return {
      cpuSeconds: process.cpuSeconds,
      mainThreadCpuSeconds: mainThread.cpuSeconds,
      rssBytes: process.rssBytes,
    };
  }

  /** The largest resident mappings of the server, for working out where its memory is. */
  describeMappings(): string {
    const text = readFileSync(`/proc/${this.pid}/smaps`, 'utf8');
    const regions: { name: string; sizeKiB: number; rssKiB: number }[] = [];
    for (const block of text.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
      const [header = ''] = block.split('\n');
      const [range = '', , , , , name = 'anon'] = header.split(/\s+/);
      const [start = 0, end = 0] = range.split('-').map((hex) => parseInt(hex, 16));
      const rssKiB = Number(/\nRss:\s+(\d+)/.exec(block)?.[1] ?? 0);
      regions.push({ name: name || 'anon', sizeKiB: (end - start) / 1024, rssKiB });
    }
    // Grouped by name and mapping size: V8's heap is many mappings of 256 KiB, malloc's thread
    // arenas are 64 MiB or less.
    const groups = new Map<string, { count: number; rssKiB: number }>();
    for (const region of regions) {
      const key = `${region.name.split('/').at(-1)}@${region.sizeKiB}K`;
      const group = groups.get(key) ?? { count: 0, rssKiB: 0 };
      group.count += 1;
      group.rssKiB += region.rssKiB;
      groups.set(key, group);
    }
    return [...groups]
      .sort((a, b) => b[1].rssKiB - a[1].rssKiB)
      .slice(0, 12)
      .map(([key, group]) => `${key}×${group.count}:${Math.round(group.rssKiB / 1024)}M`)
      .join(' ');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = once(this.child, 'exit');
      this.child.send({ kind: 'stop' } satisfies ToServer);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private request(message: ToServer, answer: FromServer['kind'], timeoutMs: number) {
    const reply = this.expect(answer, timeoutMs);
    this.child.send(message);
    return reply;
  }

  private expect(kind: FromServer['kind'], timeoutMs: number): Promise<FromServer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.kind} server did not answer ${kind} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const queue = this.waiting.get(kind) ?? [];
      queue.push((message) => (clearTimeout(timer), resolve(message)));
      this.waiting.set(kind, queue);
    });
  }
}

function readStat(path: string): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rssBytes: Number(fields[21]) * PAGE_BYTES };
}
