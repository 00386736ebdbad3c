import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { query } from '../helpers/database.js';
import { startMonitorProcess, type MonitorProcess } from '../helpers/monitor-process.js';
import { line, usageLine } from '../helpers/send.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CYCLES = 20;
const SENDERS = 2;
const LINES_PER_TICK = 20;

/** One bot streaming numbered usage rows, each stamped with its send time, until stopped. */
function streamUsage(socketPath: string, channel: string, epoch: number) {
  const client: Socket = connect(socketPath);
  let sent = 0;
  let stopped = false;
  client.on('error', () => (stopped = true));

  const tick = () => {
    if (stopped) return;
    const lines = [];
    for (let i = 0; i < LINES_PER_TICK; i += 1) {
      const sentAt = performance.now() - epoch;
      lines.push(`${usageLine(channel, sent, { latency_ms: sentAt })}\n`);
      sent += 1;
    }
    if (client.write(lines.join(''))) setTimeout(tick, 1);
    else client.once('drain', tick);
  };
  client.once('connect', () => {
    client.write(`${line({ type: 'register', channel, pid: process.pid, features: {} })}\n`);
    tick();
  });

  return {
    sent: () => sent,
    stop: () => {
      stopped = true;
      client.destroy();
    },
  };
}

interface Committed {
  channel: string;
  n: number;
  first: number;
  last: number;
  uniq: number;
  lastSentAt: number;
}

function readCommitted(db: string, prefix: string): Committed[] {
  return query<Committed>(
    db,
    `SELECT channel, COUNT(*) AS n, MIN(tokens_in) AS first, MAX(tokens_in) AS last,
       COUNT(DISTINCT tokens_in) AS uniq, MAX(latency_ms) AS lastSentAt
     FROM llm_usage WHERE channel LIKE ? GROUP BY channel ORDER BY channel`,
    `${prefix}%`,
  );
}

describe('kill -9 under load', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it(`leaves an intact database with every committed row, ${CYCLES} times in a row`, async () => {
    const socket = dir.file('kill.sock');
    const db = dir.file('kill.db');
    const epoch = performance.now();
    const gapsMs: number[] = [];
    const lostRows: number[] = [];
    let committedBefore = 0;

    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const monitor: MonitorProcess = await startMonitorProcess(['--socket', socket, '--db', db]);
      const prefix = `kill_${cycle}_`;
      const senders = Array.from({ length: SENDERS }, (_, i) =>
        streamUsage(socket, `${prefix}${i}`, epoch),
      );

      const target = 300 + (cycle % 5) * 200;
      await vi.waitFor(
        () => {
          const rows = readCommitted(db, prefix).reduce((sum, row) => sum + row.n, 0);
          expect(rows).toBeGreaterThanOrEqual(target);
        },
        { timeout: 15_000, interval: 10 },
      );

      const observed = readCommitted(db, prefix);
      const killedAt = performance.now() - epoch;
      await monitor.stop('SIGKILL');
      const sent = senders.map((sender) => sender.sent());
      senders.forEach((sender) => sender.stop());

      const check = new Database(db);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();

      const after = readCommitted(db, prefix);
      expect(after).toHaveLength(SENDERS);
      after.forEach((row, i) => {
        // Rows of a bot are a prefix of what it sent: no hole, no duplicate, no torn batch.
        expect(row).toMatchObject({ first: 0, last: row.n - 1, uniq: row.n });
        expect(row.n).toBeGreaterThanOrEqual(observed[i]?.n ?? 0);
        lostRows.push(sent[i]! - row.n);
        gapsMs.push(killedAt - row.lastSentAt);
      });

      const total = query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM llm_usage')[0]!.n;
      expect(total).toBeGreaterThanOrEqual(committedBefore);
      committedBefore = total;
      expect(query(db, 'SELECT COUNT(*) AS n FROM bot_status')).toEqual([
        { n: (cycle + 1) * SENDERS },
      ]);
    }

    const sorted = [...gapsMs].sort((a, b) => a - b);
    console.log('kill -9 figures', {
      cycles: CYCLES,
      rowsKept: committedBefore,
      lostRowsMax: Math.max(...lostRows),
      newestKeptRowAgeMs: {
        median: Math.round(sorted[sorted.length >> 1]!),
        max: Math.round(sorted.at(-1)!),
      },
    });
  }, 120_000);
});
