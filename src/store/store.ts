/**
 * The main thread's handle on the store worker: open (with migrations), write a batch, close.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KissmonError, ServerErrorCode } from '../protocol/errors.js';
import type { Batch } from './rows.js';
import { toBatchValues } from './row-values.js';
import type {
  FromWorker,
  PrunableTable,
  SerializedError,
  StoreWorkerOptions,
  ToWorker,
} from './worker-protocol.js';

export interface WriteResult {
  rows: number;
  ms: number;
}

export interface StoreInfo {
  migratedFrom: number;
  schemaVersion: number;
  journalMode: string;
}

/** A failed write; `sqliteCode` is SQLite's (SQLITE_BUSY, SQLITE_FULL, …) when it gave one. */
export class StoreWriteError extends KissmonError {
  readonly sqliteCode: string | undefined;

  constructor(error: SerializedError) {
    super(ServerErrorCode.databaseWrite, `Writing to the database failed: ${error.message}`);
    this.sqliteCode = error.code;
  }
}

type Pending = { resolve: (result: WriteResult) => void; reject: (error: Error) => void };

// The worker's garbage is short-lived (one batch at a time), so a small young generation does:
// left to grow, it reached 32 MiB under a burst of registrations and never gave it back.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

function spawnWorker(options: StoreWorkerOptions): Worker {
  const workerOptions = { workerData: options, resourceLimits: WORKER_LIMITS };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./store-worker.js', import.meta.url), workerOptions);
  }

  // From TypeScript sources (development, tests) the worker needs tsx's loader registered first.
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./store-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => {
    api.register();
    return import(${JSON.stringify(entry)});
  });`;
  return new Worker(bootstrap, { eval: true, ...workerOptions });
}

export class Store {
  readonly info: StoreInfo;
  private readonly options: StoreWorkerOptions;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed: Promise<void> | undefined;

  private constructor(worker: Worker, info: StoreInfo, options: StoreWorkerOptions) {
    this.info = info;
    this.options = options;
    this.attach(worker);
  }

  /** Starts the worker, opens the database and runs migrations; rejects with a coded error. */
  static open(options: StoreWorkerOptions): Promise<Store> {
    const worker = spawnWorker(options);

    return new Promise((resolve, reject) => {
      const onFailure = (error: Error) => {
        void worker.terminate();
        reject(new KissmonError(ServerErrorCode.databaseOpen, error.message, { cause: error }));
      };

      worker.once('error', onFailure);
      worker.once('message', (message: FromWorker) => {
        worker.off('error', onFailure);
        if (message.kind === 'ready') {
          const { migratedFrom, schemaVersion, journalMode } = message;
          resolve(new Store(worker, { migratedFrom, schemaVersion, journalMode }, options));
          return;
        }
        const detail = message.kind === 'open-failed' ? message.error.message : message.kind;
        onFailure(new Error(`Cannot open the database ${options.path}: ${detail}`));
      });
    });
  }

  /** Writes one batch in one transaction. */
  write(batch: Batch): Promise<WriteResult> {
    return this.request({ kind: 'write', id: this.nextId++, values: toBatchValues(batch) });
  }

  /** Deletes up to `limit` rows of `table` dated before `before`; resolves with how many. */
  async prune(table: PrunableTable, before: string, limit: number): Promise<number> {
    const result = await this.request({ kind: 'prune', id: this.nextId++, table, before, limit });
    return result.rows;
  }

  /** Closes the database after every write already sent has finished. */
  close(): Promise<void> {
    this.closed ??= new Promise((resolve) => {
      const worker = this.worker;
      if (!worker) return resolve();
      worker.once('exit', () => resolve());
      worker.postMessage({ kind: 'close' } satisfies ToWorker);
    });
    return this.closed;
  }

  private request(message: Exclude<ToWorker, { kind: 'close' }>): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new Error('The store is closed.'));

    const worker = (this.worker ??= this.attach(spawnWorker(this.options)));
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      worker.postMessage(message);
    });
  }

  private attach(worker: Worker): Worker {
    this.worker = worker;
    worker.on('message', (message: FromWorker) => this.settle(message));
    worker.on('error', (error) => this.lose(worker, error.message));
    worker.on('exit', (code) => this.lose(worker, `the store worker exited with code ${code}`));
    return worker;
  }

  // A worker that dies (out of memory, a native crash) fails what it had in flight, so the
  // persistence actor keeps those rows and retries them; the next request starts a new worker.
  private lose(worker: Worker, message: string): void {
    if (this.worker !== worker || this.closed) return;

    this.worker = undefined;
    this.failAll(new StoreWriteError({ code: 'KISSMON_STORE_WORKER_LOST', message }));
  }

  private settle(message: FromWorker): void {
    if (message.kind === 'open-failed') this.failAll(new StoreWriteError(message.error));
    if (message.kind !== 'done' && message.kind !== 'failed') return;

    const pending = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.kind === 'done') pending?.resolve({ rows: message.rows, ms: message.ms });
    else pending?.reject(new StoreWriteError(message.error));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
