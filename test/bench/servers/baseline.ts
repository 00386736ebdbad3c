/**
 * The ceilings kissmon is measured against, written for the harness and nothing else.
 *
 * `parse`: accepts on a Unix socket, splits lines, JSON-parses them and counts usage rows.
 * `sqlite`: the same, and batch-inserts each usage row into SQLite (better-sqlite3, WAL, one
 * transaction per `BATCH_ROWS` rows or per `FLUSH_MS`, on the main thread), into kissmon's own
 * schema (same table, same indexes), so that the ratio measures kissmon's pipeline, not its
 * schema.
 * `bare`: as `sqlite`, into a table without indexes: what the schema itself costs.
 *
 * Usage: baseline.ts <parse|sqlite|bare> <socket> [db]
 */
import { createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { migrate } from '../../../src/store/schema.js';
import { ProgressRecorder, serveHarness } from './server-ipc.js';
import { preciseNow } from '../precise-time.js';
import { LagHistogram } from '../lag-histogram.js';
import { summarize } from '../summary.js';

const BATCH_ROWS = 1000;
const FLUSH_MS = 50;
const BACKLOG = 4096;
const NEWLINE = 0x0a;
const STAMP = 't=';

const BARE_TABLE = `CREATE TABLE llm_usage (id INTEGER PRIMARY KEY, ts TEXT, channel TEXT,
  model TEXT, feature TEXT, tokens_in INTEGER, tokens_out INTEGER, latency_ms REAL,
  estimated_cost REAL, pid INTEGER)`;

type UsageRow = [string, string, string, string, number, number, ...(number | null)[]];

const [mode, socketPath, dbPath] = process.argv.slice(2);
if (!['parse', 'sqlite', 'bare'].includes(mode!) || !socketPath || (mode !== 'parse' && !dbPath)) {
  throw new Error('usage: baseline.ts <parse|sqlite|bare> <socket> [db]');
}

const counters = { rows: 0, lines: 0, invalid: 0, accepted: 0 };
const flushMs: number[] = [];
const appliedLag = new LagHistogram();
const progress = new ProgressRecorder();
const persist = mode === 'parse' ? undefined : openSink(dbPath!);

function openSink(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  if (mode === 'bare') db.exec(BARE_TABLE);
  else migrate(db);
  const insert = db.prepare(`INSERT INTO llm_usage (ts, channel, model, feature, tokens_in,
    tokens_out, latency_ms, estimated_cost, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertAll = db.transaction((rows: UsageRow[]) => {
    for (const row of rows) insert.run(row);
  });

  let pending: UsageRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const rows = pending;
    pending = [];

    const started = performance.now();
    insertAll(rows);
    flushMs.push(performance.now() - started);
    counters.rows += rows.length;
    progress.record(counters.rows);
  };

  return {
    add(row: UsageRow) {
      pending.push(row);
      if (pending.length >= BATCH_ROWS) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    },
    close() {
      if (pending.length > 0) flush();
      db.close();
    },
  };
}

// The fleet's heartbeats carry their write time: parsed is as far as a baseline takes them, so
// this lag is the floor (scheduling, socket) that kissmon's own lag sits on.
function timeHeartbeat(status: unknown): void {
  if (typeof status === 'string' && status.startsWith(STAMP)) {
    appliedLag.record(preciseNow() - Number(status.slice(STAMP.length)));
  }
}

function handleLine(text: string): void {
  counters.lines += 1;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    counters.invalid += 1;
    return;
  }
  if (value !== null && value.type === 'heartbeat') {
    timeHeartbeat(value.status);
    return;
  }
  if (value === null || typeof value !== 'object' || value.type !== 'llm_usage') {
    counters.invalid += 1;
    return;
  }

  if (!persist) {
    counters.rows += 1;
    return;
  }
  const { channel, model, feature, tokens_in, tokens_out } = value;
  const optional = (field: unknown) => (typeof field === 'number' ? field : null);
  persist.add([
    new Date().toISOString(),
    String(channel),
    String(model),
    String(feature),
    Number(tokens_in),
    Number(tokens_out),
    optional(value.latency_ms),
    optional(value.estimated_cost),
    optional(value.pid),
  ]);
}

const sockets = new Set<Socket>();

function accept(socket: Socket): void {
  counters.accepted += 1;
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  let held: Buffer | undefined;

  socket.on('data', (chunk: Buffer) => {
    const data = held ? Buffer.concat([held, chunk]) : chunk;
    let start = 0;
    let newline = data.indexOf(NEWLINE);
    while (newline !== -1) {
      if (newline > start) handleLine(data.toString('utf8', start, newline));
      start = newline + 1;
      newline = data.indexOf(NEWLINE, start);
    }
    held = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
    if (!persist) progress.record(counters.rows);
  });
  socket.on('end', () => {
    if (held) handleLine(held.toString('utf8'));
    held = undefined;
    if (!persist) progress.record(counters.rows);
  });
  socket.on('error', () => undefined);
}

const server = createServer(accept);
server.listen({ path: socketPath, backlog: BACKLOG }, () => {
  serveHarness(progress, {
    stats: () => ({
      ...counters,
      flushMs: summarize(flushMs),
      appliedLagMs: appliedLag.summary(),
    }),
    reset: () => {
      flushMs.splice(0);
      appliedLag.reset();
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      persist?.close();
    },
  });
});
