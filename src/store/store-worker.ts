/**
 * The store worker: the one thread that writes the database, so a slow disk or a lock held by
 * an operator delays persistence and never the event loop that reads the sockets.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createDatabaseFile } from './database-file.js';
import { migrate } from './schema.js';
import { countValueRows } from './row-values.js';
import { createBatchWriter, createPruner } from './writer.js';
import {
  serializeError,
  type FromWorker,
  type StoreWorkerOptions,
  type ToWorker,
} from './worker-protocol.js';

const port = parentPort!;
const options = workerData as StoreWorkerOptions;

function reply(message: FromWorker): void {
  port.postMessage(message);
}

function open(): Database.Database | undefined {
  try {
    createDatabaseFile(options.path);
    const db = new Database(options.path);
    const journalMode = db.pragma('journal_mode = WAL', { simple: true }) as string;
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);

    const { from, to } = migrate(db);
    reply({ kind: 'ready', migratedFrom: from, schemaVersion: to, journalMode });
    return db;
  } catch (error) {
    reply({ kind: 'open-failed', error: serializeError(error) });
    port.close();
    return undefined;
  }
}

const db = open();

if (db) {
  const write = createBatchWriter(db);
  const prune = createPruner(db);

  const run = (message: Exclude<ToWorker, { kind: 'close' }>): number => {
    if (message.kind === 'prune') return prune(message.table, message.before, message.limit);
    write(message.values);
    return countValueRows(message.values);
  };

  port.on('message', (message: ToWorker) => {
    if (message.kind === 'close') {
      db.close();
      reply({ kind: 'closed' });
      port.close();
      return;
    }

    const started = performance.now();
    try {
      const rows = run(message);
      reply({ kind: 'done', id: message.id, rows, ms: performance.now() - started });
    } catch (error) {
      reply({ kind: 'failed', id: message.id, error: serializeError(error) });
    }
  });
}
