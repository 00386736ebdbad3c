/**
 * Reads back the bots kissmon knew before it stopped, from `bot_status`, so it can rebuild them.
 * Rows the KissBot monitor wrote (no `state` column yet) are read by their old status word.
 */
import Database from 'better-sqlite3';
import type { BotInput, BotState } from '../../machines/bot.js';
import { parseTimestamp } from './rows.js';

interface StatusRecord {
  channel: string;
  pid: number;
  status: string;
  state: string | null;
  features_json: string;
  registered_at: string;
  last_seen: string;
  reason: string | null;
  version: string | null;
  host: string | null;
  heartbeat_interval_s: number | null;
  stale_after_ms: number | null;
  implicit: number;
  process_start_time: number | null;
  duplicate_pid: number | null;
  crash_looping: number;
}

const STATES: ReadonlySet<string> = new Set([
  'registered',
  'alive',
  'stale',
  'unregistered',
  'dead',
]);
const STATE_OF_LEGACY_STATUS: Record<string, BotState> = {
  online: 'alive',
  stale: 'stale',
  offline: 'unregistered',
  dead: 'dead',
};

export type RestoredBot = Omit<BotInput, 'crashLoopRegisters' | 'crashLoopWindowMs'>;

function stateOf(record: StatusRecord): BotState | undefined {
  if (record.state && STATES.has(record.state)) return record.state as BotState;
  return STATE_OF_LEGACY_STATUS[record.status];
}

function parseFeatures(json: string): Record<string, boolean> {
  try {
    const value: unknown = JSON.parse(json);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter(
        (entry): entry is [string, boolean] => typeof entry[1] === 'boolean',
      ),
    );
  } catch {
    return {};
  }
}

function toRestoredBot(record: StatusRecord, defaultStaleAfterMs: number): RestoredBot | undefined {
  const state = stateOf(record);
  const registeredAt = parseTimestamp(record.registered_at);
  const lastSeen = parseTimestamp(record.last_seen);
  if (!state || state === 'unregistered' || registeredAt === undefined || lastSeen === undefined) {
    return undefined;
  }

  return {
    channel: record.channel,
    pid: record.pid,
    startTime: record.process_start_time ?? undefined,
    features: parseFeatures(record.features_json),
    at: registeredAt,
    staleAfterMs: record.stale_after_ms ?? defaultStaleAfterMs,
    version: record.version ?? undefined,
    host: record.host ?? undefined,
    heartbeatIntervalS: record.heartbeat_interval_s ?? undefined,
    implicit: record.implicit === 1,
    restored: {
      state,
      lastSeen,
      processAlive: false,
      duplicatePid: record.duplicate_pid ?? undefined,
      crashLooping: record.crash_looping === 1,
    },
  };
}

/** Every bot that was not unregistered, as input for a restoring bot actor. */
export function readRestorableBots(path: string, defaultStaleAfterMs: number): RestoredBot[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const records = db.prepare('SELECT * FROM bot_status').all() as StatusRecord[];
    return records
      .map((record) => toRestoredBot(record, defaultStaleAfterMs))
      .filter((bot): bot is RestoredBot => bot !== undefined);
  } finally {
    db.close();
  }
}
