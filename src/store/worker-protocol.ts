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

/** The tables whose rows age out, and the column that dates them. */
export const PRUNABLE_TABLES = ['bot_metrics', 'bot_events', 'llm_usage'] as const;
export type PrunableTable = (typeof PRUNABLE_TABLES)[number];

export type ToWorker =
  | { kind: 'write'; id: number; values: BatchValues }
  | { kind: 'prune'; id: number; table: PrunableTable; before: string; limit: number }
  | { kind: 'close' };

export type FromWorker =
  | { kind: 'ready'; migratedFrom: number; schemaVersion: number; journalMode: string }
  | { kind: 'open-failed'; error: SerializedError }
  | { kind: 'done'; id: number; rows: number; ms: number }
  | { kind: 'failed'; id: number; error: SerializedError }
  | { kind: 'closed' };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { code: (error as { code?: string }).code, message: error.message };
  }
  return { code: undefined, message: String(error) };
}
