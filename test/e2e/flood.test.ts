import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { query } from '../helpers/database.js';
import { startMonitorProcess, type MonitorProcess } from '../helpers/monitor-process.js';
import { usageLine } from '../helpers/send.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// `npm test` floods 256 MiB; KISSMON_FLOOD_BYTES=1073741824 runs the issue's full gigabyte.
const FLOOD_BYTES = Number(process.env.KISSMON_FLOOD_BYTES ?? 256 * 2 ** 20);
const HOSTILE_CONNECTIONS = 16;
const GOOD_CONNECTIONS = 4;
const RSS_BOUND_MB = 250;

function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024;
}

async function write(socket: Socket, data: Buffer | string): Promise<void> {
  if (!socket.write(data)) await once(socket, 'drain');
}

/** Sends `bytes` of hostile input: random bytes, or one endless line with no newline. */
async function sendHostile(path: string, bytes: number, kind: 'random' | 'oversized') {
  const socket = connect(path);
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  const block = kind === 'random' ? randomBytes(2 ** 20) : Buffer.alloc(2 ** 20, 'x');

  for (let sent = 0; sent < bytes; sent += block.length) {
    const start = kind === 'random' ? Math.floor(Math.random() * 1024) : 0;
    await write(socket, block.subarray(start, Math.min(block.length, start + bytes - sent)));
  }
  socket.end();
  await once(socket, 'close');
}

describe('a flood of hostile bytes', () => {
  const dir = makeTempDir();
  let monitor: MonitorProcess | undefined;
  afterAll(async () => {
    if (monitor?.child.exitCode === null) await monitor.stop('SIGKILL');
    dir.cleanup();
  });

  it(`keeps RSS under ${RSS_BOUND_MB} MB and good bots flowing`, async () => {
    const socket = dir.file('flood.sock');
    const db = dir.file('flood.db');
    monitor = await startMonitorProcess(['--socket', socket, '--db', db]);
    const pid = monitor.child.pid!;

    const rss: number[] = [readRssMb(pid)];
    const sampler = setInterval(() => rss.push(readRssMb(pid)), 20);
    let flooding = true;
    const goodDuringFlood: number[] = [];
    const goodCount = () =>
      query<{ n: number }>(
        db,
        "SELECT COUNT(*) AS n FROM llm_usage WHERE channel LIKE 'good_%'",
      )[0]!.n;

    const good = Array.from({ length: GOOD_CONNECTIONS }, async (_, g) => {
      const client = connect(socket);
      await once(client, 'connect');
      let sent = 0;
      while (flooding) {
        const lines = Array.from({ length: 10 }, () => `${usageLine(`good_${g}`, sent++)}\n`);
        await write(client, lines.join(''));
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (g === 0) goodDuringFlood.push(goodCount());
      }
      client.end();
      await once(client, 'close');
      return sent;
    });

    const share = Math.ceil(FLOOD_BYTES / HOSTILE_CONNECTIONS);
    await Promise.all(
      Array.from({ length: HOSTILE_CONNECTIONS }, (_, h) =>
        sendHostile(socket, share, h % 2 === 0 ? 'random' : 'oversized'),
      ),
    );
    flooding = false;
    const sent = await Promise.all(good);
    clearInterval(sampler);

    expect(await monitor.stop('SIGTERM')).toBe(0);
    const rows = query<{ channel: string; n: number; hi: number }>(
      db,
      "SELECT channel, COUNT(*) AS n, MAX(tokens_in) AS hi FROM llm_usage WHERE channel LIKE 'good_%' GROUP BY channel ORDER BY channel",
    );
    expect(rows).toEqual(sent.map((n, g) => ({ channel: `good_${g}`, n, hi: n - 1 })));
    expect(new Set(goodDuringFlood).size).toBeGreaterThan(2);
    expect(Math.max(...rss)).toBeLessThan(RSS_BOUND_MB);

    // Random bytes hold a newline every 256 bytes on average: every one of those lines was read.
    const stopped = monitor.logs.find((entry) => entry.msg === 'monitor stopped')!;
    expect(stopped.rejected).toBeGreaterThan((FLOOD_BYTES / 2 / 256) * 0.9);
    const summary = monitor.logs.filter((entry) => entry.msg === 'more lines rejected');
    console.log('flood figures', {
      floodMiB: FLOOD_BYTES / 2 ** 20,
      rssMb: { start: Math.round(rss[0]!), max: Math.round(Math.max(...rss)) },
      goodRows: sent.reduce((a, b) => a + b, 0),
      rejected: stopped.rejected,
      rejectSummaries: summary.length,
    });
  }, 120_000);
});
