/**
 * Creates a new database file readable by its owner's group and nobody else, before SQLite
 * opens it: SQLite would create it 0644, and gives its -wal and -shm files the mode of the
 * database file. A file that exists keeps the mode its operator gave it.
 */
import { closeSync, openSync } from 'node:fs';

export const DATABASE_FILE_MODE = 0o640;

export function createDatabaseFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', DATABASE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
