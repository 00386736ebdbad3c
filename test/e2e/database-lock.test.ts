import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { query } from '../helpers/database.js';
import { captureLogs } from '../helpers/captured-logger.js';
import { line, sendPersistent } from '../helpers/send.js';
import { startTestMonitor } from '../helpers/test-monitor.js';

type TestMonitor = Awaited<ReturnType<typeof startTestMonitor>>;

const usage = (channel: string, tokensIn: number) =>
  line({
    type: 'llm_usage',
    channel,
    model: 'm',
    feature: 'f',
    tokens_in: tokensIn,
    tokens_out: 0,
  });

const countUsage = (db: string) =>
  query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM llm_usage')[0]!.n;

/** An operator's `sqlite3` shell holding the write lock until `release`. */
async function holdLockInShell(db: string) {
  const shell = spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  shell.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  shell.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
  await vi.waitFor(() => expect(out).toContain('locked'));

  const release = () =>
    new Promise<void>((resolve) => {
      shell.once('exit', () => resolve());
      shell.stdin.end('COMMIT;\n.quit\n');
    });
  return { shell, release };
}

describe('a database held by someone else', () => {
  let monitor: TestMonitor | undefined;
  let shell: ChildProcess | undefined;
  const clients: Socket[] = [];
  afterEach(async () => {
    shell?.kill('SIGKILL');
    clients.splice(0).forEach((client) => client.destroy());
    await monitor?.cleanup();
    monitor = undefined;
  });

  it('waits out an operator holding the lock in the sqlite3 shell, tracking bots meanwhile', async () => {
    const logs = captureLogs();
    monitor = await startTestMonitor({ busyTimeout: 100 }, { logger: logs.logger });
    const { db, socket } = monitor.config;
    const lock = await holdLockInShell(db);
    shell = lock.shell;

    const lines = [line({ type: 'register', channel: 'locked_out', pid: 42, features: {} })];
    for (let i = 0; i < 300; i += 1) {
      lines.push(
        line({ type: 'heartbeat', channel: 'locked_out', pid: 42 }),
        usage('locked_out', i),
      );
    }
    await sendPersistent(socket, lines);

    const { persistence } = monitor.service;
    await vi.waitFor(() => expect(persistence.stats.failures).toBeGreaterThanOrEqual(2));
    expect(monitor.service.monitor.getSnapshot('locked_out')?.value).toBe('alive');
    expect(monitor.service.monitor.messages.llm_usage).toBe(300);
    expect(countUsage(db)).toBe(0);

    await lock.release();
    await vi.waitFor(() => expect(logs.find('database writes recovered')).toHaveLength(1), {
      timeout: 10_000,
    });
    expect(countUsage(db)).toBe(300);

    const failed = logs.find('flush failed');
    expect(failed.filter((entry) => entry.level === 50)).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: 'SQLITE_BUSY' });
    const rows = query<{ tokens_in: number }>(db, 'SELECT tokens_in FROM llm_usage ORDER BY id');
    expect(rows.map((row) => row.tokens_in)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('when persistence stalls under a flood, holds the mailbox, pauses readers and drops nothing', async () => {
    const maxPendingRows = 2000;
    const mailboxSize = 1000;
    monitor = await startTestMonitor({ busyTimeout: 20, maxPendingRows, mailboxSize });
    const { db, socket } = monitor.config;
    const locker = new Database(db);
    locker.exec('BEGIN IMMEDIATE');

    const senders = 20;
    const perSender = 2000;
    for (let s = 0; s < senders; s += 1) {
      const client = connect(socket);
      client.on('error', () => undefined);
      const payload = Array.from({ length: perSender }, (_, i) => `${usage(`flood_${s}`, i)}\n`);
      client.write(payload.join(''));
      clients.push(client);
    }

    const { mailbox, persistence } = monitor.service;
    let maxPending = 0;
    const sample = setInterval(() => {
      maxPending = Math.max(maxPending, persistence.backlog());
    }, 5);
    try {
      await vi.waitFor(() => {
        expect(mailbox.stats.holds).toBeGreaterThanOrEqual(1);
        expect(mailbox.stats.paused).toBe(true);
      });
      await vi.waitFor(() => expect(persistence.stats.failures).toBeGreaterThanOrEqual(3));
      // The rest waits in the kernel and in the senders' own buffers.
      expect(mailbox.stats.pushed).toBeLessThan(senders * perSender);
    } finally {
      clearInterval(sample);
    }
    expect(maxPending).toBeLessThanOrEqual(maxPendingRows + 512);
    expect(countUsage(db)).toBe(0);

    locker.exec('COMMIT');
    locker.close();
    await vi.waitFor(() => expect(countUsage(db)).toBe(senders * perSender), { timeout: 15_000 });

    const rows = query<{ channel: string; tokens_in: number }>(
      db,
      'SELECT channel, tokens_in FROM llm_usage ORDER BY id',
    );
    const perChannel = new Map<string, number[]>();
    for (const row of rows) {
      perChannel.set(row.channel, [...(perChannel.get(row.channel) ?? []), row.tokens_in]);
    }
    const inOrder = Array.from({ length: perSender }, (_, i) => i);
    expect(perChannel.size).toBe(senders);
    for (const sequence of perChannel.values()) expect(sequence).toEqual(inOrder);
    // Past the high-water mark a reader still finishes the chunk it has read (64 KiB at most).
    expect(mailbox.stats.maxDepth).toBeLessThanOrEqual(mailboxSize + 1000);
  });
});
