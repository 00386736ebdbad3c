import Database from 'better-sqlite3';

/** Runs one query on the database file, read-only, and closes it again. */
export function query<T = Record<string, unknown>>(
  path: string,
  sql: string,
  ...params: unknown[]
): T[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
