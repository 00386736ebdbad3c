/**
 * Reads a bot's last transitions from `bot_events` on a read-only connection of its own: the
 * store worker keeps the only writing one. Rows still waiting for a flush are not there yet.
 */
import Database from 'better-sqlite3';
import type { EventRow } from '../store/rows.js';

export class TransitionReader {
  private readonly path: string;
  private db: Database.Database | undefined;

  constructor(path: string) {
    this.path = path;
  }

  readLast(channel: string, limit: number): EventRow[] {
    this.db ??= new Database(this.path, { readonly: true, fileMustExist: true });
    const sql = `SELECT ts, channel, pid, from_state, to_state, reason FROM bot_events
      WHERE channel = ? ORDER BY ts DESC, id DESC LIMIT ?`;
    return this.db.prepare(sql).all(channel, limit) as EventRow[];
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}
