/** The messages between the main thread and the store worker. */
import type { BatchValues } from './row-values.js';

export interface StoreWorkerOptions {
  path: string;
  busyTimeoutMs: number;
}

export interface SerializedError {
  code: string | undefined;
  message: string;
}

export type ToWorker = { kind: 'write'; id: number; values: BatchValues } | { kind: 'close' };

export type FromWorker =
  | { kind: 'ready'; migratedFrom: number; schemaVersion: number; journalMode: string }
  | { kind: 'open-failed'; error: SerializedError }
  | { kind: 'written'; id: number; rows: number; ms: number }
  | { kind: 'write-failed'; id: number; error: SerializedError }
  | { kind: 'closed' };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { code: (error as { code?: string }).code, message: error.message };
  }
  return { code: undefined, message: String(error) };
}
